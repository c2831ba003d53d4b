"""The 发文 process through its services, from 拟稿 to 分发, with every role (doc-flow)."""

import pytest

from tongban.documents.errors import DocumentError, DocumentNotFound, DocumentRulesError, DocumentStateError
from tongban.documents.models import DeliveryState, DocumentStatus, OfficialDocument
from tongban.documents.services import drafting, steps
from tongban.documents.tests.flow import do, fill, make_office, open_task, png, start
from tongban.organizations.services import assign_role
from tongban.workflow import countersign
from tongban.workflow import selectors as workflow_selectors
from tongban.workflow import services as workflow_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(db):
    return make_office()


def _sign_off(office, document_id, **kwargs):
    task = open_task(f"document:{document_id}", "sign_off")
    drafting.sign_off(
        task_id=task.id,
        user_id=office.signer.id,
        opinion=kwargs.get("opinion", "同意印发。"),
        signature_png=kwargs.get("signature_png", png()),
        use_saved_signature=kwargs.get("use_saved_signature", False),
    )


def _to_sign_off(office, document_id):
    do(office, office.drafter, document_id, "draft", "submit")
    do(office, office.head, document_id, "dept_review", "agree", "同意。")
    do(office, office.partner_head, document_id, "countersign", "agree", "无意见。")
    do(office, office.reviewer, document_id, "office_review", "agree", "核稿无误。")


def test_a_notice_goes_from_draft_to_distribution_with_every_role(office):
    document_id = start(office)
    document = OfficialDocument.objects.get(pk=document_id)
    assert document.status == DocumentStatus.DRAFTING
    assert document.versions.get().html == office.template.body_html
    assert document.issuing_body == office.body
    fill(office, document_id)
    do(office, office.drafter, document_id, "draft", "submit")
    assert OfficialDocument.objects.get(pk=document_id).status == DocumentStatus.REVIEWING
    assert open_task(document.subject, "dept_review").department_id == office.drafting.pk
    do(office, office.head, document_id, "dept_review", "agree", "同意。")
    countersign_task = open_task(document.subject, "countersign")
    assert countersign_task.department_id == office.partner.pk
    assert OfficialDocument.objects.get(pk=document_id).status == DocumentStatus.COUNTERSIGNING
    do(office, office.partner_head, document_id, "countersign", "agree", "无意见。")
    do(office, office.reviewer, document_id, "office_review", "agree", "核稿无误。")
    assert OfficialDocument.objects.get(pk=document_id).status == DocumentStatus.SIGNING
    _sign_off(office, document_id)
    document.refresh_from_db()
    assert document.signer_id == office.signer.id
    assert document.signer_opinion == "同意印发。"
    assert document.issued_on is not None
    assert bytes(document.signature_image).startswith(b"\x89PNG")
    assert document.reviewer_id == office.reviewer.id
    do(office, office.clerk, document_id, "numbering", "number")
    document.refresh_from_db()
    assert document.document_number == f"云州府办〔{document.issued_on.year}〕1号"
    do(office, office.clerk, document_id, "typesetting", "typeset")
    do(office, office.seal_keeper, document_id, "sealing", "seal")
    document.refresh_from_db()
    assert document.status == DocumentStatus.DISTRIBUTING
    assert document.sealed_sha256
    completion, _warnings = do(office, office.clerk, document_id, "distribution", "distribute")
    assert completion.finished
    document.refresh_from_db()
    assert document.status == DocumentStatus.DISTRIBUTED
    # The platform department got its copy; the bodies outside the platform wait for an exchange package.
    states = dict(document.recipients.values_list("name", "state"))
    assert states == {
        office.partner.name: DeliveryState.DELIVERED,
        "各区人民政府": DeliveryState.PENDING,
        "市委办公室": DeliveryState.PENDING,
    }
    opinions = [(r.element_id, r.opinion) for r in workflow_selectors.process_record(document.subject)]
    assert ("countersign", "无意见。") in opinions


def test_countersign_opens_one_step_per_chosen_department_in_parallel(office):
    from conftest import make_staff

    from tongban.organizations.tests.factories import DepartmentFactory

    third = DepartmentFactory(name="云州市卫生健康委员会")
    third_head = make_staff("weijian_head", third, "department_head")
    document_id = start(office)
    fill(office, document_id, countersign_departments=[office.partner.pk, third.pk])
    do(office, office.drafter, document_id, "draft", "submit")
    do(office, office.head, document_id, "dept_review", "agree")
    subject = f"document:{document_id}"
    opened = {t.department_id for t in workflow_selectors.open_tasks_of(subject)}
    assert opened == {office.partner.pk, third.pk}
    task = open_task(subject, "countersign", third.pk)
    with pytest.raises(DocumentError):
        steps.handle_step(task_id=task.id, user_id=third_head.id, action="disagree", opinion="")
    steps.handle_step(task_id=task.id, user_id=third_head.id, action="disagree", opinion="经费来源需明确。")
    assert OfficialDocument.objects.get(pk=document_id).status == DocumentStatus.COUNTERSIGNING
    do(office, office.partner_head, document_id, "countersign", "agree", "同意。")
    assert [t.element_id for t in workflow_selectors.open_tasks_of(subject)] == ["office_review"]


def test_countersign_is_skipped_when_no_department_was_chosen(office):
    document_id = start(office)
    fill(office, document_id, countersign_departments=[])
    do(office, office.drafter, document_id, "draft", "submit")
    do(office, office.head, document_id, "dept_review", "agree")
    assert [t.element_id for t in workflow_selectors.open_tasks_of(f"document:{document_id}")] == [
        "office_review"
    ]


def test_a_retried_draft_submission_returns_the_same_document(office):
    first = start(office, key="same-key")
    again = start(office, key="same-key")
    assert first == again
    assert OfficialDocument.objects.filter(drafter_id=office.drafter.id).count() == 1


def test_the_office_reviewer_sends_the_draft_back_to_the_drafter(office):
    document_id = start(office)
    fill(office, document_id)
    do(office, office.drafter, document_id, "draft", "submit")
    do(office, office.head, document_id, "dept_review", "agree")
    do(office, office.partner_head, document_id, "countersign", "agree")
    task = open_task(f"document:{document_id}", "office_review")
    targets = dict(workflow_services.return_targets(task))
    assert "draft" in targets
    steps.send_back_step(
        task_id=task.id, user_id=office.reviewer.id, target_element_id="draft", reason="标题不规范"
    )
    back = open_task(f"document:{document_id}", "draft")
    assert back.return_reason == "标题不规范"
    assert OfficialDocument.objects.get(pk=document_id).status == DocumentStatus.DRAFTING
    # The drafter may change the 发文单 again and send it on.
    fill(office, document_id, title="云州市人民政府办公室关于做好元旦春节期间有关工作的通知")
    do(office, office.drafter, document_id, "draft", "submit")
    assert OfficialDocument.objects.get(pk=document_id).status == DocumentStatus.REVIEWING


def test_the_drafter_withdraws_the_draft_while_nobody_acted_and_not_after(office):
    document_id = start(office)
    fill(office, document_id)
    do(office, office.drafter, document_id, "draft", "submit")
    document = OfficialDocument.objects.get(pk=document_id)
    done = steps.withdrawable_task(document, office.drafter.id)
    assert done is not None
    steps.withdraw_step(task_id=done, user_id=office.drafter.id)
    assert OfficialDocument.objects.get(pk=document_id).status == DocumentStatus.DRAFTING
    do(office, office.drafter, document_id, "draft", "submit")
    workflow_services.claim_task(
        task_id=open_task(document.subject, "dept_review").id, user_id=office.head.id
    )
    done = steps.withdrawable_task(document, office.drafter.id)
    with pytest.raises(DocumentStateError):
        steps.withdraw_step(task_id=done, user_id=office.drafter.id)


def test_the_drafter_cancels_a_draft_never_sent_on(office):
    document_id = start(office)
    steps.cancel_document(document_id=document_id, user_id=office.drafter.id, reason="不再需要")
    assert OfficialDocument.objects.get(pk=document_id).status == DocumentStatus.CANCELLED
    assert workflow_selectors.open_tasks_of(f"document:{document_id}") == []


def test_a_signer_is_added_at_countersign_and_signs_before_the_department_head(office):
    document_id = start(office)
    fill(office, document_id)
    do(office, office.drafter, document_id, "draft", "submit")
    do(office, office.head, document_id, "dept_review", "agree")
    task = open_task(f"document:{document_id}", "countersign")
    assert office.partner_colleague.id in countersign.signer_candidates(task.id, office.partner_head.id)
    countersign.add_signers(
        task_id=task.id,
        user_id=office.partner_head.id,
        signer_ids=[office.partner_colleague.id],
        before=True,
        reason="请业务科室先看",
    )
    with pytest.raises(DocumentStateError):
        steps.handle_step(task_id=task.id, user_id=office.partner_head.id, action="agree", opinion="")
    steps.sign_step(task_id=task.id, user_id=office.partner_colleague.id, approve=True, opinion="无意见")
    steps.handle_step(task_id=task.id, user_id=office.partner_head.id, action="agree", opinion="同意")
    assert OfficialDocument.objects.get(pk=document_id).status == DocumentStatus.REVIEWING


def test_a_signer_added_at_countersign_is_taken_back(office):
    document_id = start(office)
    fill(office, document_id)
    do(office, office.drafter, document_id, "draft", "submit")
    do(office, office.head, document_id, "dept_review", "agree")
    task = open_task(f"document:{document_id}", "countersign")
    [signer] = countersign.add_signers(
        task_id=task.id,
        user_id=office.partner_head.id,
        signer_ids=[office.partner_colleague.id],
        before=True,
        reason="请业务科室先看",
    )
    steps.remove_signer_step(
        task_id=task.id, signer_id=signer, user_id=office.partner_head.id, reason="不必了"
    )
    steps.handle_step(task_id=task.id, user_id=office.partner_head.id, action="agree", opinion="同意")


def test_countersign_is_transferred_to_a_colleague(office):
    document_id = start(office)
    fill(office, document_id)
    do(office, office.drafter, document_id, "draft", "submit")
    do(office, office.head, document_id, "dept_review", "agree")
    task = open_task(f"document:{document_id}", "countersign")
    assign_role(user_id=office.partner_colleague.id, department_id=office.partner.pk, role="department_head")
    workflow_services.transfer_task(
        task_id=task.id,
        user_id=office.partner_head.id,
        to_user_id=office.partner_colleague.id,
        reason="请代为会签",
    )
    steps.handle_step(task_id=task.id, user_id=office.partner_colleague.id, action="agree", opinion="同意")


def test_a_request_with_two_main_recipients_is_refused_and_nothing_saved(office):
    document_id = start(office, office.request_template)
    with pytest.raises(DocumentRulesError) as refused:
        fill(office, document_id, main_names=["市人民政府", "市发展改革委"], main_departments=[])
    assert [v.field for v in refused.value.violations] == ["main_recipients"]
    document = OfficialDocument.objects.get(pk=document_id)
    assert document.title == ""
    assert not document.recipients.exists()


def test_a_classified_document_is_refused_unless_the_deployment_allows_the_level(office, settings):
    document_id = start(office)
    with pytest.raises(DocumentRulesError) as refused:
        fill(office, document_id, secrecy="secret", secrecy_period="1年")
    assert [v.field for v in refused.value.violations] == ["secrecy"]
    assert OfficialDocument.objects.get(pk=document_id).secrecy == ""
    settings.TONGBAN_DOCUMENT_SECRECY_ALLOWED = ["secret"]
    fill(office, document_id, secrecy="secret", secrecy_period="1年")
    assert OfficialDocument.objects.get(pk=document_id).secrecy == "secret"


def test_the_draft_is_not_sent_on_without_a_main_recipient(office):
    document_id = start(office)
    fill(office, document_id, main_departments=[], main_names=[])
    with pytest.raises(DocumentRulesError):
        do(office, office.drafter, document_id, "draft", "submit")
    assert OfficialDocument.objects.get(pk=document_id).status == DocumentStatus.DRAFTING


def test_nothing_of_the_form_changes_after_sign_off(office):
    document_id = start(office)
    fill(office, document_id)
    _to_sign_off(office, document_id)
    _sign_off(office, document_id)
    with pytest.raises(DocumentStateError) as refused:
        fill(office, document_id, user=office.clerk, title="改过的标题")
    assert refused.value.status == 409
    task = open_task(f"document:{document_id}", "numbering")
    with pytest.raises(DocumentStateError):
        steps.send_back_step(task_id=task.id, user_id=office.clerk.id, target_element_id="draft", reason="x")


def test_sign_off_needs_a_signature_and_an_opinion(office):
    document_id = start(office)
    fill(office, document_id)
    _to_sign_off(office, document_id)
    with pytest.raises(DocumentError):
        _sign_off(office, document_id, signature_png=None)
    with pytest.raises(DocumentError):
        _sign_off(office, document_id, signature_png=b"<svg/>")
    with pytest.raises(DocumentError):
        _sign_off(office, document_id, opinion=" ")
    with pytest.raises(DocumentError):
        _sign_off(office, document_id, signature_png=None, use_saved_signature=True)
    from tongban.workflow.phrases import save_signature

    save_signature(user_id=office.signer.id, name="sig.png", data=png())
    _sign_off(office, document_id, signature_png=None, use_saved_signature=True)
    assert OfficialDocument.objects.get(pk=document_id).is_signed_off


def test_a_request_names_its_signer_at_sign_off(office):
    document_id = start(office, office.request_template)
    fill(office, document_id, main_departments=[], main_names=["云州市人民政府"], copy_names=[])
    _to_sign_off_without_countersign = [
        ("draft", office.drafter, "submit"),
        ("dept_review", office.head, "agree"),
        ("countersign", office.partner_head, "agree"),
        ("office_review", office.reviewer, "agree"),
    ]
    for element, user, action in _to_sign_off_without_countersign:
        do(office, user, document_id, element, action)
    _sign_off(office, document_id)
    assert OfficialDocument.objects.get(pk=document_id).signer_id == office.signer.id


def test_someone_outside_the_route_cannot_see_or_change_the_document_T_B3(office):
    document_id = start(office)
    with pytest.raises(DocumentNotFound):
        fill(office, document_id, user=office.stranger)
    task = open_task(f"document:{document_id}", "draft")
    with pytest.raises(DocumentNotFound):
        steps.handle_step(task_id=task.id, user_id=office.stranger.id, action="submit", opinion="")


def test_the_drafter_nudges_a_step_once_a_day(office, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    document_id = start(office)
    fill(office, document_id)
    do(office, office.drafter, document_id, "draft", "submit")
    task = open_task(f"document:{document_id}", "dept_review")
    with pytest.raises(DocumentStateError):
        steps.nudge_step(document_id=document_id, user_id=office.drafter.id, task_id=task.id)
    later = timezone.localdate() + dt.timedelta(days=10)
    monkeypatch.setattr(timezone, "localdate", lambda *a: later)
    assert steps.nudge_step(document_id=document_id, user_id=office.drafter.id, task_id=task.id) == 1
    with pytest.raises(DocumentStateError):
        steps.nudge_step(document_id=document_id, user_id=office.drafter.id, task_id=task.id)


def test_a_terminated_process_cancels_the_document(office):
    from tongban.workflow.events import instance_terminated

    document_id = start(office)
    instance_terminated.send(sender=None, subject=f"document:{document_id}", reason="误建", actor_id=None)
    assert OfficialDocument.objects.get(pk=document_id).status == DocumentStatus.CANCELLED
