"""The one moderation service: blocking words refuse, review words and personal data hold, clean text
is published at once (or held when the consultation asks for premoderation); moderators approve or
reject with a reason; personal data is shown masked."""

import pytest
from conftest import make_staff

from tongban.consultations.errors import ConsultationConflict, ConsultationError
from tongban.consultations.models import Comment
from tongban.consultations.roles import CONSULTATION_MODERATOR
from tongban.consultations.selectors import moderation_queue, published_comments_by_section
from tongban.consultations.services import comments
from tongban.consultations.tests.conftest import client_for, open_consultation
from tongban.core.models import AuditEvent
from tongban.notifications.selectors import inbox

pytestmark = pytest.mark.django_db


def _submit(author, consultation_id, body, key="k"):
    return comments.submit_comment(
        author_id=author.id, consultation_id=consultation_id, section_id=None, body=body, idempotency_key=key
    )


def test_a_clean_comment_is_published_at_once(consultation, resident):
    comment_id = _submit(resident, consultation, "建议明确物业服务收费标准。")
    comment = Comment.objects.get(pk=comment_id)
    assert (comment.status, comment.held_reason) == ("published", "")
    assert [c.pk for c in published_comments_by_section(consultation)[None]] == [comment_id]


def test_a_blocking_word_refuses_the_comment_naming_it(consultation, resident):
    with pytest.raises(ConsultationError) as caught:
        _submit(resident, consultation, "物业公司办证刻章，刷单返利")
    assert caught.value.message == "留言中含有不允许发布的词语“办证刻章、刷单返利”，请删除后再提交"
    assert caught.value.field_errors == {"body": caught.value.message}
    assert Comment.objects.count() == 0


def test_a_review_word_holds_the_comment(consultation, resident, moderator):
    comment_id = _submit(resident, consultation, "物业经理就是狗官作风")
    comment = Comment.objects.get(pk=comment_id)
    assert (comment.status, comment.held_reason) == ("held", "含有需人工审核的词语：狗官")
    assert published_comments_by_section(consultation) == {}
    assert [c.pk for c in moderation_queue(moderator.id)] == [comment_id]


def test_personal_data_is_held_and_shown_masked_once_approved(consultation, resident, moderator):
    comment_id = _submit(resident, consultation, "我家物业电话13912345678一直打不通")
    comment = Comment.objects.get(pk=comment_id)
    assert (comment.status, comment.held_reason) == ("held", "含有个人信息：手机号码")
    comments.approve_comment(actor_id=moderator.id, comment_id=comment_id)
    shown = published_comments_by_section(consultation)[None][0]
    assert (shown.status, shown.public_body) == ("published", "我家物业电话139****5678一直打不通")
    page = client_for(resident).get(f"/consultations/{consultation}/").content.decode()
    assert "139****5678" in page
    assert "13912345678" not in page


def test_premoderation_holds_clean_comments_too(publisher, department, resident):
    consultation_id = open_consultation(publisher, department, requires_premoderation=True)
    comment_id = _submit(resident, consultation_id, "建议增加公示栏。")
    assert Comment.objects.get(pk=comment_id).held_reason == "本次征集的留言均先审核后公开"


def test_a_rejected_comment_tells_its_author_why(
    consultation, resident, moderator, django_capture_on_commit_callbacks
):
    comment_id = _submit(resident, consultation, "物业经理就是狗官作风")
    with pytest.raises(ConsultationError, match="请输入不予公开的原因"):
        comments.reject_comment(actor_id=moderator.id, comment_id=comment_id, reason=" ")
    assert Comment.objects.get(pk=comment_id).status == "held"
    with django_capture_on_commit_callbacks(execute=True):
        comments.reject_comment(actor_id=moderator.id, comment_id=comment_id, reason="含有人身攻击")
    comment = Comment.objects.get(pk=comment_id)
    assert (comment.status, comment.rejection_reason, comment.moderated_by_id) == (
        "rejected",
        "含有人身攻击",
        moderator.id,
    )
    assert [n.title for n in inbox(resident.id)] == ["您的留言未通过审核"]
    page = client_for(resident).get("/consultations/mine/").content.decode()
    assert "未通过审核" in page
    assert "不予公开的原因：含有人身攻击" in page
    with pytest.raises(ConsultationConflict):
        comments.approve_comment(actor_id=moderator.id, comment_id=comment_id)


def test_a_moderator_of_another_department_gets_a_404_and_an_audit_row(
    consultation, resident, other_department
):
    comment_id = _submit(resident, consultation, "物业经理就是狗官作风")
    stranger = make_staff("civil_moderator", other_department, CONSULTATION_MODERATOR)
    assert moderation_queue(stranger.id) == []
    response = client_for(stranger).post(f"/staff/consultations/moderation/{comment_id}/approve/")
    assert response.status_code == 404
    assert Comment.objects.get(pk=comment_id).status == "held"
    assert AuditEvent.objects.filter(
        event="consultation.moderate", object_id=str(comment_id), result="denied"
    ).exists()


def test_the_general_office_moderator_moderates_every_department(consultation, resident, other_department):
    other_department.is_general_office = True
    other_department.save(update_fields=["is_general_office"])
    comment_id = _submit(resident, consultation, "物业经理就是狗官作风")
    office = make_staff("office_moderator", other_department, CONSULTATION_MODERATOR)
    assert [c.pk for c in moderation_queue(office.id)] == [comment_id]
    response = client_for(office).post(f"/staff/consultations/moderation/{comment_id}/approve/")
    assert response.status_code == 302
    assert Comment.objects.get(pk=comment_id).status == "published"


def test_the_moderation_queue_page_costs_the_same_with_many_comments(
    consultation, resident, moderator, django_assert_num_queries, settings
):
    settings.TONGBAN_COMMENTS_PER_HOUR = 100
    client = client_for(moderator)
    for number in range(3):
        _submit(resident, consultation, f"狗官{number}", key=f"a{number}")
    client.get("/staff/consultations/moderation/")
    with django_assert_num_queries(QUEUE_QUERIES) as first:
        page = client.get("/staff/consultations/moderation/")
    assert page.content.decode().count('class="cs-comment"') == 3
    for number in range(12):
        _submit(resident, consultation, f"狗官又{number}", key=f"b{number}")
    with django_assert_num_queries(len(first.captured_queries)):
        page = client.get("/staff/consultations/moderation/")
    assert page.content.decode().count('class="cs-comment"') == 15


# session + user (2); the view: is_moderator (roles, general office: 2), the page (roles, general office,
# the held and the recently published comments with their consultation, section and interview: 4); the
# workbench shell (roles, agents, the counts of every entry, the 待审 count with its scope: 13).
QUEUE_QUERIES = 15


def test_a_published_comment_is_taken_down_from_the_queue_page(consultation, resident, moderator):
    comment_id = _submit(resident, consultation, "建议增加公示栏。")
    client = client_for(moderator)
    assert f'id="published-{comment_id}"' in client.get("/staff/consultations/moderation/").content.decode()
    client.post(f"/staff/consultations/moderation/{comment_id}/reject/", {"reason": ""})
    assert Comment.objects.get(pk=comment_id).status == "published"
    client.post(f"/staff/consultations/moderation/{comment_id}/reject/", {"reason": "与征集内容无关"})
    comment = Comment.objects.get(pk=comment_id)
    assert (comment.status, comment.rejection_reason) == ("rejected", "与征集内容无关")
    assert published_comments_by_section(consultation) == {}
