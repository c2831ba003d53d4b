"""The period: comments are taken only while a published consultation is open, by the clock."""

import datetime as dt

import pytest

from tongban.consultations.errors import ConsultationConflict, ConsultationError
from tongban.consultations.models import Comment, Consultation
from tongban.consultations.services import comments, consultations
from tongban.consultations.tests.conftest import NOW, draft, open_consultation

pytestmark = pytest.mark.django_db


def _comment(author, consultation_id, key="k1", section_id=None, body="建议明确物业服务收费标准。"):
    return comments.submit_comment(
        author_id=author.id,
        consultation_id=consultation_id,
        section_id=section_id,
        body=body,
        idempotency_key=key,
    )


def test_a_comment_before_the_opening_is_refused(publisher, department, resident):
    consultation_id = open_consultation(
        publisher, department, opens_on=dt.date(2026, 12, 5), closes_on=dt.date(2026, 12, 20)
    )
    assert Consultation.objects.get(pk=consultation_id).phase == "upcoming"
    with pytest.raises(ConsultationConflict, match="意见征集尚未开始"):
        _comment(resident, consultation_id)
    assert Comment.objects.count() == 0


def test_a_comment_after_the_closing_is_refused(consultation, resident, clock):
    clock.move_to(dt.datetime(2026, 12, 21, 0, 0, tzinfo=NOW.tzinfo))
    assert Consultation.objects.get(pk=consultation).phase == "closed"
    with pytest.raises(ConsultationConflict, match="意见征集已结束"):
        _comment(resident, consultation)
    assert Comment.objects.count() == 0


def test_the_last_minute_of_the_last_day_still_counts(consultation, resident, clock):
    clock.move_to(dt.datetime(2026, 12, 20, 23, 59, tzinfo=NOW.tzinfo))
    _comment(resident, consultation)
    assert Comment.objects.get().status == "published"


def test_a_draft_takes_no_comments(publisher, department, resident):
    consultation_id = consultations.create_consultation(
        actor_id=publisher.id, draft=draft(department), idempotency_key="draft"
    )
    with pytest.raises(ConsultationError, match="找不到该意见征集"):
        _comment(resident, consultation_id)


def test_publishing_needs_a_section_and_a_period_not_over(publisher, department, clock):
    consultation_id = consultations.create_consultation(
        actor_id=publisher.id, draft=draft(department), idempotency_key="p"
    )
    with pytest.raises(ConsultationError, match="请至少添加一个章节"):
        consultations.publish_consultation(actor_id=publisher.id, consultation_id=consultation_id)
    consultations.add_section(
        actor_id=publisher.id, consultation_id=consultation_id, heading="总则", text="条文"
    )
    clock.move_to(dt.datetime(2026, 12, 22, 9, 0, tzinfo=NOW.tzinfo))
    with pytest.raises(ConsultationError, match="截止日期已过"):
        consultations.publish_consultation(actor_id=publisher.id, consultation_id=consultation_id)
    assert Consultation.objects.get(pk=consultation_id).status == "draft"


def test_the_period_runs_from_the_first_day_to_the_end_of_the_last(consultation):
    found = Consultation.objects.get(pk=consultation)
    assert found.opens_at == dt.datetime(2026, 12, 1, 0, 0, tzinfo=NOW.tzinfo)
    assert found.closes_at == dt.datetime(2026, 12, 21, 0, 0, tzinfo=NOW.tzinfo)


def test_a_closing_before_the_opening_is_refused(publisher, department):
    with pytest.raises(ConsultationError, match="截止日期须不早于开始日期") as caught:
        consultations.create_consultation(
            actor_id=publisher.id,
            draft=draft(department, opens_on=dt.date(2026, 12, 10), closes_on=dt.date(2026, 12, 9)),
            idempotency_key="x",
        )
    assert caught.value.field_errors == {"closes_on": "截止日期须不早于开始日期"}
    assert Consultation.objects.count() == 0


def test_sections_are_reordered_and_locked_once_published(publisher, department):
    consultation_id = consultations.create_consultation(
        actor_id=publisher.id, draft=draft(department), idempotency_key="s"
    )
    ids = [
        consultations.add_section(
            actor_id=publisher.id, consultation_id=consultation_id, heading=h, text="条文"
        )
        for h in ("总则", "业主大会", "附则")
    ]
    consultations.move_section(
        actor_id=publisher.id, consultation_id=consultation_id, section_id=ids[2], up=True
    )
    consultations.move_section(
        actor_id=publisher.id, consultation_id=consultation_id, section_id=ids[0], up=False
    )
    found = Consultation.objects.get(pk=consultation_id)
    assert [s.heading for s in found.sections.all()] == ["附则", "总则", "业主大会"]
    consultations.publish_consultation(actor_id=publisher.id, consultation_id=consultation_id)
    with pytest.raises(ConsultationConflict, match="不能再修改"):
        consultations.add_section(
            actor_id=publisher.id, consultation_id=consultation_id, heading="新", text="x"
        )
    assert found.sections.count() == 3
