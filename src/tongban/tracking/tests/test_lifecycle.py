"""The lifecycle through the services: 立项 → 交办 → 签收 → 阶段反馈 → 申请办结 → 审核办结/退回 → 评价."""

import datetime as dt

import pytest

from tongban.notifications.models import Notification
from tongban.tracking import services
from tongban.tracking.errors import TrackingError, TrackingNotFound, TrackingStateError
from tongban.tracking.models import ItemEvent, ItemStatus, TrackingItem
from tongban.tracking.tests.helpers import MONDAY, assigned, city, closing, fields, in_progress, opened

pytestmark = pytest.mark.django_db


def test_open_item_numbers_it_and_records_the_source():
    c = city()
    first = opened(c)
    second = opened(c, title="第二项")
    items = TrackingItem.objects.order_by("pk")
    assert [i.number for i in items] == ["督〔2026〕1号", "督〔2026〕2号"]
    item = items.get(pk=first)
    assert (item.status, item.source_kind, item.source_label) == ("opened", "manual", "工作计划")
    assert list(item.assisting_departments.values_list("pk", flat=True)) == [c.assisting.pk]
    assert item.due_date is None
    assert list(ItemEvent.objects.filter(item_id=second).values_list("action", flat=True)) == ["opened"]


def test_only_a_tracking_officer_of_the_department_opens_an_item():
    c = city()
    with pytest.raises(TrackingError) as refused:
        services.open_item(user_id=c.lead_clerk.id, office_department_id=c.office.pk, fields=fields(c))
    assert refused.value.code == "not_officer"
    assert TrackingItem.objects.count() == 0


def test_open_item_lists_every_problem_and_saves_nothing():
    c = city()
    with pytest.raises(TrackingError) as refused:
        services.open_item(
            user_id=c.officer.id,
            office_department_id=c.office.pk,
            fields=fields(c, title=" ", assisting_department_ids=(c.lead.pk,), deadline_days=0),
        )
    assert refused.value.details == [
        "请输入督办事项",
        "牵头单位不能同时是协办单位",
        "办理时限须为1至250个工作日",
    ]
    assert TrackingItem.objects.count() == 0


def test_assign_computes_the_deadline_in_working_days_and_notifies_the_lead_department():
    c = city()
    item_id = assigned(c)  # Monday 2 March 2026, 20 working days
    item = TrackingItem.objects.get(pk=item_id)
    assert item.status == ItemStatus.ASSIGNED
    assert item.due_date == dt.date(2026, 3, 30)
    told = Notification.objects.filter(title="督办事项待签收：老旧小区改造年度任务")
    assert list(told.values_list("recipient_id", flat=True)) == [c.lead_clerk.id]


def test_the_lead_department_signs_and_the_officer_closes_after_review():
    c = city()
    item_id = closing(c)
    item = TrackingItem.objects.get(pk=item_id)
    assert (item.status, item.result, item.closing_requested_by_id) == (
        "closing",
        "已完成改造120个小区",
        c.lead_clerk.id,
    )
    assert services.review_closing(item_id=item_id, user_id=c.officer.id, approve=True, note="") == "closed"
    services.evaluate(item_id=item_id, user_id=c.officer.id, evaluation="excellent", note="")
    item.refresh_from_db()
    assert (item.status, item.closed_by_id, item.evaluation) == ("evaluated", c.officer.id, "excellent")
    assert list(ItemEvent.objects.filter(item=item).values_list("action", flat=True)) == [
        "opened",
        "assigned",
        "signed",
        "closing_requested",
        "closed",
        "evaluated",
    ]


def test_a_second_review_is_a_conflict_and_changes_nothing():
    c = city()
    item_id = closing(c)
    services.review_closing(item_id=item_id, user_id=c.officer.id, approve=True, note="")
    with pytest.raises(TrackingStateError):
        services.review_closing(item_id=item_id, user_id=c.officer.id, approve=False, note="再改")
    item = TrackingItem.objects.get(pk=item_id)
    assert (item.status, item.review_note, item.returned_count) == ("closed", "", 0)


def test_return_needs_a_reason_and_sends_it_back_to_the_lead_department():
    c = city()
    item_id = closing(c)
    with pytest.raises(TrackingError) as refused:
        services.review_closing(item_id=item_id, user_id=c.officer.id, approve=False, note="")
    assert refused.value.code == "reason_required"
    assert TrackingItem.objects.get(pk=item_id).status == "closing"
    services.review_closing(item_id=item_id, user_id=c.officer.id, approve=False, note="请补充验收材料")
    item = TrackingItem.objects.get(pk=item_id)
    assert (item.status, item.returned_count, item.review_note) == ("in_progress", 1, "请补充验收材料")
    assert Notification.objects.filter(recipient_id=c.lead_clerk.id, body="请补充验收材料").count() == 1


def test_only_the_lead_department_signs():
    c = city()
    item_id = assigned(c)
    for user in (c.assisting_clerk, c.outsider, c.officer):
        with pytest.raises(TrackingError):
            services.sign_item(item_id=item_id, user_id=user.id)
    assert TrackingItem.objects.get(pk=item_id).status == "assigned"


def test_a_second_signature_is_a_conflict():
    c = city()
    item_id = in_progress(c)
    with pytest.raises(TrackingStateError):
        services.sign_item(item_id=item_id, user_id=c.lead_clerk.id)
    assert TrackingItem.objects.get(pk=item_id).signed_at == MONDAY


def test_officers_of_another_office_cannot_review():
    from conftest import make_staff

    from tongban.organizations.tests.factories import DepartmentFactory
    from tongban.tracking.roles import TRACKING_OFFICER

    c = city()
    item_id = closing(c)
    other = make_staff("other_officer", DepartmentFactory(name="云州市锦江区政府办"), TRACKING_OFFICER)
    with pytest.raises(TrackingNotFound):
        services.review_closing(item_id=item_id, user_id=other.id, approve=True, note="")
    assert TrackingItem.objects.get(pk=item_id).status == "closing"


def test_evaluating_fair_or_poor_needs_a_reason():
    c = city()
    item_id = closing(c)
    services.review_closing(item_id=item_id, user_id=c.officer.id, approve=True, note="")
    with pytest.raises(TrackingError) as refused:
        services.evaluate(item_id=item_id, user_id=c.officer.id, evaluation="poor", note="")
    assert refused.value.code == "note_required"
    assert TrackingItem.objects.get(pk=item_id).evaluation == ""
