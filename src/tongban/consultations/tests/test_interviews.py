"""在线访谈: scheduled, published, questions before it starts (moderated by the same service), answers
and the transcript afterwards."""

import datetime as dt

import pytest

from tongban.consultations.errors import ConsultationConflict
from tongban.consultations.models import Comment, Interview
from tongban.consultations.selectors import moderation_queue, published_questions
from tongban.consultations.services import comments, interviews
from tongban.consultations.tests.conftest import NOW, client_for
from tongban.consultations.types import InterviewDraft

pytestmark = pytest.mark.django_db
STARTS = dt.datetime(2026, 12, 10, 15, 0, tzinfo=NOW.tzinfo)


def _interview(publisher, department) -> int:
    interview_id = interviews.create_interview(
        actor_id=publisher.id,
        draft=InterviewDraft(
            title="聚焦老旧小区改造",
            guests="市住房和城乡建设局局长 李明",
            description="介绍2027年老旧小区改造计划。",
            department_id=department.pk,
            starts_at=STARTS,
            ends_at=STARTS + dt.timedelta(hours=1),
        ),
        idempotency_key="i1",
    )
    interviews.publish_interview(actor_id=publisher.id, interview_id=interview_id)
    return interview_id


def test_questions_are_moderated_answered_and_the_transcript_published(
    publisher, moderator, department, resident, clock
):
    interview_id = _interview(publisher, department)
    clean = comments.submit_question(
        author_id=resident.id, interview_id=interview_id, body="加装电梯有补贴吗？", idempotency_key="q1"
    )
    held = comments.submit_question(
        author_id=resident.id,
        interview_id=interview_id,
        body="我的电话13912345678，请回电",
        idempotency_key="q2",
    )
    assert [c.pk for c in moderation_queue(moderator.id)] == [held]
    comments.approve_comment(actor_id=moderator.id, comment_id=held)
    assert [q.public_body for q in published_questions(interview_id)] == [
        "加装电梯有补贴吗？",
        "我的电话139****5678，请回电",
    ]
    clock.move_to(STARTS + dt.timedelta(minutes=5))
    with pytest.raises(ConsultationConflict, match="访谈已开始"):
        comments.submit_question(
            author_id=resident.id, interview_id=interview_id, body="还能问吗", idempotency_key="q3"
        )
    comments.answer_comment(actor_id=publisher.id, comment_id=clean, answer="有，每台最高补贴15万元。")
    interviews.publish_transcript(
        actor_id=publisher.id, interview_id=interview_id, transcript="主持人：各位网友好。"
    )
    page = client_for(resident).get(f"/interviews/{interview_id}/").content.decode()
    assert "每台最高补贴15万元" in page
    assert "主持人：各位网友好。" in page
    assert "13912345678" not in page
    assert Comment.objects.filter(interview_id=interview_id).count() == 2


def test_the_transcript_waits_for_the_start(publisher, department):
    interview_id = _interview(publisher, department)
    with pytest.raises(ConsultationConflict, match="访谈开始后"):
        interviews.publish_transcript(actor_id=publisher.id, interview_id=interview_id, transcript="x")
    assert Interview.objects.get(pk=interview_id).transcript == ""


def test_an_interview_form_with_a_bad_time_shows_the_error(publisher, department):
    response = client_for(publisher).post(
        "/staff/interviews/new/",
        {
            "title": "访谈",
            "guests": "局长",
            "description": "简介",
            "department": str(department.pk),
            "starts_on_0": "2026",
            "starts_on_1": "12",
            "starts_on_2": "10",
            "starts_time": "25:00",
            "ends_time": "16:00",
            "idempotency_key": "i2",
        },
    )
    assert response.status_code == 400
    assert "时间须为24小时制的时和分，例如 15:00" in response.content.decode()
    assert Interview.objects.count() == 0


def test_the_public_lists_show_upcoming_and_past(publisher, department, client, clock):
    interview_id = _interview(publisher, department)
    page = client.get("/interviews/").content.decode()
    assert page.index("聚焦老旧小区改造") < page.index("往期访谈")
    clock.move_to(STARTS + dt.timedelta(hours=2))
    page = client.get("/interviews/").content.decode()
    assert page.index("往期访谈") < page.index("聚焦老旧小区改造")
    assert client.get(f"/interviews/{interview_id}/").status_code == 200
