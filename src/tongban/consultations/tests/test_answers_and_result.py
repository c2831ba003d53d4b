"""Answers under comments, 采纳情况 per comment after the period, and the published result's counts."""

import datetime as dt

import pytest

from tongban.consultations.errors import ConsultationConflict, ConsultationError
from tongban.consultations.models import Comment, Consultation, Section
from tongban.consultations.selectors import result_counts
from tongban.consultations.services import comments, consultations
from tongban.consultations.tests.conftest import NOW, citizen, client_for

pytestmark = pytest.mark.django_db
CLOSED = dt.datetime(2026, 12, 21, 9, 0, tzinfo=NOW.tzinfo)


def _comments(consultation_id, resident):
    sections = list(Section.objects.filter(consultation_id=consultation_id))
    ids = []
    for number, section in enumerate([sections[0], sections[0], sections[1], None]):
        ids.append(
            comments.submit_comment(
                author_id=resident.id,
                consultation_id=consultation_id,
                section_id=section.pk if section else None,
                body=f"第{number}条意见",
                idempotency_key=f"c{number}",
            )
        )
    return sections, ids


def test_an_answer_is_shown_under_the_comment(
    consultation, resident, publisher, django_capture_on_commit_callbacks
):
    _sections, ids = _comments(consultation, resident)
    with django_capture_on_commit_callbacks(execute=True):
        comments.answer_comment(
            actor_id=publisher.id, comment_id=ids[0], answer="感谢您的意见，将在第十条中明确。"
        )
    page = client_for(resident).get(f"/consultations/{consultation}/").content.decode()
    assert "部门答复" in page
    assert "感谢您的意见，将在第十条中明确。" in page
    mine = client_for(resident).get("/consultations/mine/").content.decode()
    assert "感谢您的意见，将在第十条中明确。" in mine


def test_a_held_comment_cannot_be_answered(consultation, resident, publisher):
    held = comments.submit_comment(
        author_id=resident.id, consultation_id=consultation, section_id=None, body="狗官", idempotency_key="h"
    )
    with pytest.raises(ConsultationConflict, match="只能答复已公开的留言"):
        comments.answer_comment(actor_id=publisher.id, comment_id=held, answer="答复")
    assert Comment.objects.get(pk=held).answer == ""


def test_the_result_counts_each_section_exactly(consultation, resident, publisher, clock):
    _sections, ids = _comments(consultation, resident)
    with pytest.raises(ConsultationConflict, match="征集结束后"):
        comments.record_adoption(actor_id=publisher.id, comment_id=ids[0], adoption="adopted", reason="")
    clock.move_to(CLOSED)
    with pytest.raises(ConsultationError, match="请输入未采纳或部分采纳的理由"):
        comments.record_adoption(actor_id=publisher.id, comment_id=ids[1], adoption="not_adopted", reason="")
    comments.record_adoption(actor_id=publisher.id, comment_id=ids[0], adoption="adopted", reason="")
    comments.record_adoption(
        actor_id=publisher.id, comment_id=ids[1], adoption="not_adopted", reason="与上位法不符"
    )
    with pytest.raises(ConsultationError, match="还有2条留言未标注采纳情况"):
        consultations.publish_result(
            actor_id=publisher.id, consultation_id=consultation, summary="总体采纳情况"
        )
    comments.record_adoption(
        actor_id=publisher.id, comment_id=ids[2], adoption="partly", reason="部分已有规定"
    )
    comments.record_adoption(actor_id=publisher.id, comment_id=ids[3], adoption="adopted", reason="")
    with pytest.raises(ConsultationError, match="请输入采纳情况说明"):
        consultations.publish_result(actor_id=publisher.id, consultation_id=consultation, summary="")
    consultations.publish_result(
        actor_id=publisher.id, consultation_id=consultation, summary="共收到4条意见。"
    )
    counts = result_counts(consultation)
    assert (counts.comments, counts.adopted, counts.partly, counts.not_adopted) == (4, 2, 1, 1)
    assert [(s.heading, s.comments, s.adopted, s.partly, s.not_adopted) for s in counts.sections] == [
        ("第1章", 2, 1, 0, 1),
        ("第2章", 1, 0, 1, 0),
        ("第3章", 0, 0, 0, 0),
        ("对征求意见稿整体", 1, 1, 0, 0),
    ]
    assert Consultation.objects.get(pk=consultation).phase == "result"
    page = client_for(citizen("13800000077")).get(f"/consultations/{consultation}/result/").content.decode()
    assert "收到意见4条" in page
    assert "采纳2条" in page
    assert "部分采纳1条" in page
    assert "未采纳1条" in page
    assert "与上位法不符" in page
    with pytest.raises(ConsultationConflict):
        comments.record_adoption(actor_id=publisher.id, comment_id=ids[0], adoption="not_adopted", reason="x")


def test_the_result_page_is_a_404_before_the_result(consultation, client):
    assert client.get(f"/consultations/{consultation}/result/").status_code == 404
