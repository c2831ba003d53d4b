"""The review on the workflow engine: 拟稿 → 保密审查 → 领导审核 (publishes), distinct reviewers
(T-I1), 退回 with a reason, the 索引号 and idempotent drafting."""

import pytest

from tongban.core.models import AuditEvent
from tongban.disclosure import services
from tongban.disclosure.errors import DisclosureError, DisclosureStateError
from tongban.disclosure.models import DisclosureItem
from tongban.disclosure.tests.helpers import (
    city,
    draft,
    fields,
    open_task,
    publish,
    published,
    secrecy_ok,
    submit,
)
from tongban.workflow import selectors as workflow_selectors

pytestmark = pytest.mark.django_db


def test_an_item_goes_through_both_reviews_and_is_published_by_the_leader():
    c = city()
    item_id = draft(c)
    item = DisclosureItem.objects.get(pk=item_id)
    assert item.status == "draft"
    assert item.index_number == f"{c.market.uscc}/{item.created_at.year}-00001"
    assert item.issuer == "云州市市场监督管理局"
    submit(c, item_id)
    assert DisclosureItem.objects.get(pk=item_id).status == "in_review"
    secrecy_ok(c, item_id)
    item = DisclosureItem.objects.get(pk=item_id)
    assert (item.status, item.secrecy_reviewer_id) == ("in_review", c.reviewer.id)
    publish(c, item_id)
    item = DisclosureItem.objects.get(pk=item_id)
    assert (item.status, item.approver_id) == ("published", c.approver.id)
    assert item.published_on == item.first_published_on
    assert " 网络 " in item.search_tokens
    assert workflow_selectors.open_tasks_of(item.subject) == []
    assert AuditEvent.objects.filter(event="disclosure.published", object_id=str(item_id)).count() == 1


def test_index_numbers_count_up_per_department_and_year():
    c = city()
    first, second = draft(c), draft(c)
    numbers = [DisclosureItem.objects.get(pk=i).index_number for i in (first, second)]
    assert [n[-5:] for n in numbers] == ["00001", "00002"]


def test_a_retried_draft_submission_returns_the_same_item():
    c = city()
    one = services.create_item(
        user_id=c.editor.id, department_id=c.market.pk, fields=fields(), idempotency_key="same"
    )
    two = services.create_item(
        user_id=c.editor.id, department_id=c.market.pk, fields=fields(), idempotency_key="same"
    )
    assert one == two
    assert DisclosureItem.objects.count() == 1


def test_an_editor_cannot_draft_for_another_department():
    c = city()
    with pytest.raises(DisclosureError) as refused:
        services.create_item(
            user_id=c.outsider.id, department_id=c.market.pk, fields=fields(), idempotency_key="x"
        )
    assert refused.value.code == "bad_department"
    assert DisclosureItem.objects.count() == 0


def test_a_policy_file_needs_its_kind():
    c = city()
    with pytest.raises(DisclosureError) as refused:
        services.create_item(
            user_id=c.editor.id, department_id=c.market.pk, fields=fields(policy_kind=""), idempotency_key="x"
        )
    assert (refused.value.field, refused.value.message) == ("policy_kind", "请选择政策文件的类别")
    assert DisclosureItem.objects.count() == 0


def test_T_I1_the_same_person_cannot_be_both_reviewers():
    c = city()
    item_id = draft(c)
    submit(c, item_id)
    secrecy_ok(c, item_id, user=c.both)
    task = open_task(item_id, "approval")
    with pytest.raises(DisclosureError) as refused:
        services.handle_step(task_id=task.id, user_id=c.both.id)
    assert refused.value.status == 400
    assert refused.value.code == "same_reviewer"
    assert DisclosureItem.objects.get(pk=item_id).status == "in_review"
    assert open_task(item_id, "approval").status == "open"


def test_T_I1_the_author_cannot_review_their_own_item():
    c = city()
    from tongban.organizations.services import assign_role

    assign_role(user_id=c.editor.id, department_id=c.market.pk, role="disclosure_secrecy_reviewer")
    item_id = draft(c)
    submit(c, item_id)
    with pytest.raises(DisclosureError) as refused:
        services.handle_step(task_id=open_task(item_id, "secrecy_review").id, user_id=c.editor.id)
    assert refused.value.code == "self_review"
    assert DisclosureItem.objects.get(pk=item_id).secrecy_reviewer_id is None


def test_T_I1_publishing_a_draft_is_a_conflict():
    c = city()
    item_id = draft(c)
    with pytest.raises(DisclosureStateError) as refused:
        services.publish_item(item_id=item_id, user_id=c.editor.id)
    assert refused.value.status == 409
    assert DisclosureItem.objects.get(pk=item_id).status == "draft"


def test_the_publish_action_completes_the_leaders_step():
    c = city()
    item_id = draft(c)
    submit(c, item_id)
    secrecy_ok(c, item_id)
    services.publish_item(item_id=item_id, user_id=c.approver.id)
    assert DisclosureItem.objects.get(pk=item_id).status == "published"


def test_a_reviewer_sends_an_item_back_with_a_reason_and_the_editor_resubmits():
    c = city()
    item_id = draft(c)
    submit(c, item_id)
    task = open_task(item_id, "secrecy_review")
    with pytest.raises(DisclosureError):
        services.send_back_step(task_id=task.id, user_id=c.reviewer.id, target_element_id="draft", reason=" ")
    services.send_back_step(
        task_id=task.id, user_id=c.reviewer.id, target_element_id="draft", reason="请删除联系人电话"
    )
    assert DisclosureItem.objects.get(pk=item_id).status == "draft"
    back = open_task(item_id, "draft")
    assert back.return_reason == "请删除联系人电话"
    submit(c, item_id)
    secrecy_ok(c, item_id)
    publish(c, item_id)
    assert DisclosureItem.objects.get(pk=item_id).status == "published"


def test_the_leader_sends_back_to_the_secrecy_review():
    c = city()
    item_id = draft(c)
    submit(c, item_id)
    secrecy_ok(c, item_id)
    services.send_back_step(
        task_id=open_task(item_id, "approval").id,
        user_id=c.approver.id,
        target_element_id="secrecy_review",
        reason="请再核对是否涉密",
    )
    item = DisclosureItem.objects.get(pk=item_id)
    assert (item.status, item.secrecy_reviewer_id) == ("in_review", None)
    assert open_task(item_id, "secrecy_review").status == "open"


def test_a_draft_cannot_be_edited_once_submitted():
    c = city()
    item_id = draft(c)
    submit(c, item_id)
    with pytest.raises(DisclosureStateError):
        services.update_item(item_id=item_id, user_id=c.editor.id, fields=fields(title="改过的标题"))
    assert DisclosureItem.objects.get(pk=item_id).title == "云州市市场监督管理局关于规范网络餐饮服务的通知"


def test_a_published_item_is_revised_in_a_new_round_and_republished():
    c = city()
    item_id = published(c)
    services.revise_item(item_id=item_id, user_id=c.editor.id)
    item = DisclosureItem.objects.get(pk=item_id)
    assert (item.status, item.review_round, item.subject) == ("draft", 2, f"disclosure:{item_id}-2")
    submit(c, item_id)
    secrecy_ok(c, item_id)
    publish(c, item_id)
    assert DisclosureItem.objects.get(pk=item_id).status == "published"


def test_validity_and_withdrawal_by_the_approver():
    c = city()
    item_id = published(c)
    import datetime as dt

    services.set_validity(
        item_id=item_id, user_id=c.approver.id, validity="repealed", changed_on=dt.date(2026, 1, 5)
    )
    item = DisclosureItem.objects.get(pk=item_id)
    assert (item.validity, item.validity_changed_on) == ("repealed", dt.date(2026, 1, 5))
    with pytest.raises(DisclosureError):
        services.withdraw_item(item_id=item_id, user_id=c.editor.id, reason="错误")
    services.withdraw_item(item_id=item_id, user_id=c.approver.id, reason="标题有误")
    assert DisclosureItem.objects.get(pk=item_id).status == "withdrawn"
