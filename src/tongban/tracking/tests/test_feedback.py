"""阶段反馈 on the cycle: due dates in working days from 签收, a late one stored flagged; 延期; 催办."""

import datetime as dt

import pytest

from tongban.notifications.models import Notification
from tongban.tracking import rules, services
from tongban.tracking.errors import TrackingError, TrackingStateError
from tongban.tracking.models import ExtensionRequest, Feedback, TrackingItem
from tongban.tracking.tests.helpers import MONDAY, assigned, city, days_after, in_progress

pytestmark = pytest.mark.django_db


def test_weekly_due_dates_are_every_five_working_days_then_the_deadline():
    due = dt.date(2026, 3, 30)
    assert rules.feedback_due_dates(cycle="weekly", start=dt.date(2026, 3, 2), due=due) == [
        dt.date(2026, 3, 9),
        dt.date(2026, 3, 16),
        dt.date(2026, 3, 23),
        dt.date(2026, 3, 30),
    ]
    assert rules.feedback_due_dates(cycle="once", start=dt.date(2026, 3, 2), due=due) == [due]


def test_a_feedback_after_its_due_date_is_stored_late():
    c = city()
    item_id = in_progress(c)  # signed Monday 2 March: weekly feedback due 9 March, 16 March …
    first = services.add_feedback(
        item_id=item_id, user_id=c.lead_clerk.id, text="已完成摸底", now=days_after(MONDAY, 7)
    )
    second = services.add_feedback(
        item_id=item_id, user_id=c.lead_clerk.id, text="已开工30个小区", now=days_after(MONDAY, 14)
    )
    assert (first.due_date, first.is_late) == (dt.date(2026, 3, 9), False)
    assert (second.due_date, second.is_late) == (dt.date(2026, 3, 16), False)
    third = services.add_feedback(
        item_id=item_id, user_id=c.lead_clerk.id, text="已开工60个小区", now=days_after(MONDAY, 24)
    )
    assert (third.due_date, third.is_late) == (dt.date(2026, 3, 23), True)


def test_assisting_departments_feed_back_on_their_own_count():
    c = city()
    item_id = in_progress(c)
    services.add_feedback(item_id=item_id, user_id=c.lead_clerk.id, text="牵头", now=days_after(MONDAY, 1))
    assisting = services.add_feedback(
        item_id=item_id, user_id=c.assisting_clerk.id, text="资金已拨付", now=days_after(MONDAY, 1)
    )
    assert (assisting.department_id, assisting.due_date, assisting.is_late) == (
        c.assisting.pk,
        dt.date(2026, 3, 9),
        False,
    )


def test_feedback_is_refused_to_outsiders_before_signing_and_without_text():
    c = city()
    item_id = assigned(c)
    with pytest.raises(TrackingStateError):
        services.add_feedback(item_id=item_id, user_id=c.lead_clerk.id, text="尚未签收")
    services.sign_item(item_id=item_id, user_id=c.lead_clerk.id)
    with pytest.raises(TrackingError) as outsider:
        services.add_feedback(item_id=item_id, user_id=c.outsider.id, text="不相关")
    with pytest.raises(TrackingError) as empty:
        services.add_feedback(item_id=item_id, user_id=c.lead_clerk.id, text="  ")
    assert (outsider.value.code, empty.value.code) == ("not_involved", "text_required")
    assert Feedback.objects.count() == 0


def test_feedback_keeps_checked_attachments_and_refuses_other_files():
    c = city()
    item_id = in_progress(c)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    with pytest.raises(TrackingError):
        services.add_feedback(
            item_id=item_id,
            user_id=c.lead_clerk.id,
            text="进度",
            files=[services.UploadedFile(name="a.html", data=b"<html></html>")],
        )
    assert Feedback.objects.count() == 0
    feedback = services.add_feedback(
        item_id=item_id,
        user_id=c.lead_clerk.id,
        text="进度",
        files=[services.UploadedFile(name="进度表.pdf", data=pdf)],
    )
    assert list(feedback.attachments.values_list("name", "mime_type")) == [("进度表.pdf", "application/pdf")]


def test_an_approved_extension_moves_the_deadline_in_working_days():
    c = city()
    item_id = in_progress(c)
    extension_id = services.request_extension(
        item_id=item_id, user_id=c.lead_clerk.id, days=5, reason="汛期停工", now=MONDAY
    )
    with pytest.raises(TrackingStateError):
        services.request_extension(item_id=item_id, user_id=c.lead_clerk.id, days=3, reason="再延")
    services.decide_extension(extension_id=extension_id, user_id=c.officer.id, approve=True, note="")
    item = TrackingItem.objects.get(pk=item_id)
    assert (item.due_date, item.extended_days) == (dt.date(2026, 4, 6), 5)
    extension = ExtensionRequest.objects.get(pk=extension_id)
    assert (extension.status, extension.old_due_date, extension.new_due_date) == (
        "approved",
        dt.date(2026, 3, 30),
        dt.date(2026, 4, 6),
    )
    with pytest.raises(TrackingStateError):
        services.decide_extension(extension_id=extension_id, user_id=c.officer.id, approve=True, note="")
    assert TrackingItem.objects.get(pk=item_id).due_date == dt.date(2026, 4, 6)


def test_an_extension_needs_days_and_a_reason_and_a_refusal_needs_a_reason():
    c = city()
    item_id = in_progress(c)
    with pytest.raises(TrackingError) as refused:
        services.request_extension(item_id=item_id, user_id=c.lead_clerk.id, days=None, reason="")
    assert refused.value.details == ["延期天数须为1至60个工作日", "请输入延期理由"]
    extension_id = services.request_extension(item_id=item_id, user_id=c.lead_clerk.id, days=5, reason="汛期")
    with pytest.raises(TrackingError):
        services.decide_extension(extension_id=extension_id, user_id=c.officer.id, approve=False, note="")
    assert ExtensionRequest.objects.get(pk=extension_id).status == "pending"
    services.decide_extension(extension_id=extension_id, user_id=c.officer.id, approve=False, note="理由不足")
    assert TrackingItem.objects.get(pk=item_id).due_date == dt.date(2026, 3, 30)


def test_nudge_reaches_the_lead_department_once_a_day():
    c = city()
    item_id = in_progress(c)
    assert services.nudge(item_id=item_id, user_id=c.officer.id, now=days_after(MONDAY, 3)) == 1
    with pytest.raises(TrackingStateError):
        services.nudge(item_id=item_id, user_id=c.leader.id, now=days_after(MONDAY, 3))
    assert services.nudge(item_id=item_id, user_id=c.leader.id, now=days_after(MONDAY, 4)) == 1
    assert Notification.objects.filter(recipient_id=c.lead_clerk.id, title__startswith="催办：").count() == 2


def test_outsiders_cannot_nudge():
    c = city()
    item_id = in_progress(c)
    with pytest.raises(TrackingStateError):
        services.nudge(item_id=item_id, user_id=c.lead_clerk.id)
    assert TrackingItem.objects.get(pk=item_id).last_nudged_at is None
