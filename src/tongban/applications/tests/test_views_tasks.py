"""Staff case-handling pages: 待办, one task's decision, correction, materials, scoping (T-H1, T-B3)."""

from types import SimpleNamespace

import pytest
from conftest import PASSWORD, make_staff
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tongban.accounts.services import ensure_user
from tongban.accounts.tests.helpers import login_staff
from tongban.applications import services
from tongban.applications.models import Application
from tongban.applications.selectors import approval_sheet_data
from tongban.applications.subjects import subject_of
from tongban.applications.tests.factories import pdf_bytes
from tongban.catalog.selectors import version_snapshot
from tongban.core.models import AuditEvent
from tongban.workflow.selectors import open_tasks_of, process_record, signers_of
from tongban.workflow.services import copy_case, upload_definition
from tongban.workflow.tests.helpers import joint_decide


@pytest.fixture(autouse=True)
def _scan_with_clamd(clamd):
    """Uploads in these tests go through the real clamd."""


@pytest.fixture
def submitted(department, publish_item):
    citizen = ensure_user(username="citizen_a", full_name="张三", kind="citizen", password=PASSWORD)
    item = publish_item(department)
    application_id = services.start_application(
        applicant_id=citizen.id, applicant_name="张三", implementation_code=item.implementation_code
    )
    services.save_answers(
        application_id=application_id, applicant_id=citizen.id, answers={"address": "滨江路"}
    )
    [material] = version_snapshot(item.version_id).materials
    services.attach_material(
        application_id=application_id,
        applicant_id=citizen.id,
        requirement_id=material.id,
        name="申请书.pdf",
        data=pdf_bytes(),
    )
    services.submit_application(application_id=application_id, applicant_id=citizen.id)
    return Application.objects.get(pk=application_id), material


@pytest.fixture
def clerk_client(client, department):
    clerk = make_staff("market_clerk", department, role="clerk")
    login_staff(client, clerk)
    return client


def test_inbox_lists_the_submitted_application(clerk_client, submitted):
    application, _ = submitted
    body = clerk_client.get(reverse("applications:staff_inbox")).content.decode()
    assert application.number in body


User = get_user_model()


def application_department(application):
    return SimpleNamespace(pk=application.department_id)


def _task_id(application, step="accept"):
    [task] = [t for t in open_tasks_of(subject_of(application.pk)) if t.step == step]
    return task.id


def test_clerk_returns_the_application_for_correction(clerk_client, submitted):
    application, material = submitted
    url = reverse("applications:staff_correction", args=[_task_id(application)])
    response = clerk_client.post(url, {"reason": "申请书未签字", "material_ids": [material.id]})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "correction_requested"
    assert application.corrections.get().material_ids == [material.id]


def test_correction_without_reason_or_items_shows_the_errors(clerk_client, submitted):
    application, _ = submitted
    url = reverse("applications:staff_correction", args=[_task_id(application)])
    body = clerk_client.post(url, {"reason": ""}).content.decode()
    assert "<title>错误：" in body
    assert "请输入补正说明" in body
    application.refresh_from_db()
    assert application.status == "submitted"


def test_material_downloads_as_a_sandboxed_attachment(clerk_client, submitted):
    application, _ = submitted
    stored = application.materials.get()
    response = clerk_client.get(reverse("applications:staff_material", args=[application.pk, stored.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_T_B3_clerk_of_another_department_sees_nothing(client, submitted, other_department):
    application, _ = submitted
    outsider = make_staff("civil_clerk", other_department, role="clerk")
    login_staff(client, outsider)
    assert application.number not in client.get(reverse("applications:staff_inbox")).content.decode()
    assert client.get(reverse("applications:staff_case", args=[application.pk])).status_code == 404
    task_url = reverse("applications:staff_task", args=[_task_id(application)])
    assert client.get(task_url).status_code == 404
    assert client.post(task_url, {"action": "accept"}).status_code == 404
    assert application.events.count() == 1  # nothing happened
    stored = application.materials.get()
    assert (
        client.get(reverse("applications:staff_material", args=[application.pk, stored.pk])).status_code
        == 404
    )


def test_T_C7_T_B4_citizen_and_anonymous_cannot_reach_staff_pages(client, submitted):
    application, _ = submitted
    stored = application.materials.get()
    url = reverse("applications:staff_material", args=[application.pk, stored.pk])
    assert client.get(url).status_code == 302  # to the staff login
    client.login(username="citizen_a", password=PASSWORD)
    assert client.get(url).status_code == 404
    assert client.get(reverse("applications:staff_inbox")).status_code == 404
    assert client.get(f"/media/materials/{stored.file.name}").status_code == 404


def test_the_task_page_shows_the_case_and_accepting_moves_it_on(clerk_client, submitted):
    application, _ = submitted
    url = reverse("applications:staff_task", args=[_task_id(application)])
    page = clerk_client.get(url).content.decode()
    assert "受理：" + application.number in page
    assert 'data-process-url="/staff/applications/' in page
    response = clerk_client.post(url, {"action": "accept", "opinion": "材料齐全"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "accepted"
    assert [t.step for t in open_tasks_of(subject_of(application.pk))] == ["review"]


def test_T_H3_a_crafted_next_step_is_ignored_and_an_unknown_action_refused(clerk_client, submitted):
    application, _ = submitted
    url = reverse("applications:staff_task", args=[_task_id(application)])
    refused = clerk_client.post(url, {"action": "approve", "next": "close"})
    assert refused.status_code == 400
    assert application.events.count() == 1
    clerk_client.post(url, {"action": "accept", "next": "close", "to": "办结"})
    assert [t.step for t in open_tasks_of(subject_of(application.pk))] == ["review"]


def test_T_H2_the_second_submission_of_a_done_task_gets_a_clear_answer(clerk_client, submitted):
    application, _ = submitted
    url = reverse("applications:staff_task", args=[_task_id(application)])
    assert clerk_client.post(url, {"action": "accept"}).status_code == 302
    again = clerk_client.post(url, {"action": "accept"})
    assert again.status_code in (404, 409)
    assert application.events.count() == 2


def test_claiming_takes_the_task_and_a_colleague_is_told(clerk_client, submitted, department):
    application, _ = submitted
    task_id = _task_id(application)
    assert clerk_client.post(reverse("applications:staff_claim", args=[task_id])).status_code == 302
    colleague = make_staff("second_clerk", department, role="clerk")
    other = Client()
    login_staff(other, colleague)
    response = other.post(reverse("applications:staff_claim", args=[task_id]), follow=True)
    assert "该待办已由他人签收" in response.content.decode()


def test_T_H1_another_departments_clerk_gets_404_the_task_is_unchanged_and_the_refusal_audited(
    client, submitted, other_department
):
    application, _ = submitted
    task_id = _task_id(application)
    login_staff(client, make_staff("civil_clerk", other_department, role="clerk"))
    response = client.post(reverse("applications:staff_task", args=[task_id]), {"action": "accept"})
    assert response.status_code == 404
    assert [t.status for t in open_tasks_of(subject_of(application.pk))] == ["open"]
    denied = AuditEvent.objects.get(result="denied")
    assert (denied.event, denied.object_id) == ("task.open", str(task_id))


def test_viewing_a_case_is_audited_with_whose_data_it_was(clerk_client, submitted):
    application, _ = submitted
    clerk_client.get(reverse("applications:staff_task", args=[_task_id(application)]))
    viewed = AuditEvent.objects.get(event="case.viewed")
    assert (viewed.object_id, viewed.subject_id, viewed.result) == (
        str(application.pk),
        application.applicant_id,
        "ok",
    )


def test_a_common_phrase_becomes_the_opinion_without_javascript(clerk_client, submitted):
    application, _ = submitted
    url = reverse("applications:staff_task", args=[_task_id(application)])
    page = clerk_client.get(url).content.decode()
    assert "材料齐全，符合法定形式，予以受理。" in page  # a default phrase is offered
    clerk_client.post(
        url, {"action": "accept", "opinion": "", "phrase": "材料齐全，符合法定形式，予以受理。"}
    )
    [record] = [r for r in process_record(subject_of(application.pk)) if r.status == "completed"]
    assert record.opinion == "材料齐全，符合法定形式，予以受理。"


def test_a_phrase_that_is_not_the_users_is_refused(clerk_client, submitted):
    application, _ = submitted
    url = reverse("applications:staff_task", args=[_task_id(application)])
    assert clerk_client.post(url, {"action": "accept", "phrase": "<script>x</script>"}).status_code == 400
    assert application.events.count() == 1


def test_the_clerk_withdraws_intake_from_the_done_list(clerk_client, submitted):
    application, _ = submitted
    accept_id = _task_id(application)
    clerk_client.post(reverse("applications:staff_task", args=[accept_id]), {"action": "accept"})
    done_page = clerk_client.get(reverse("applications:staff_inbox") + "?tab=done").content.decode()
    assert reverse("applications:staff_withdraw", args=[accept_id]) in done_page
    response = clerk_client.post(reverse("applications:staff_withdraw", args=[accept_id]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted"
    assert [t.step for t in open_tasks_of(subject_of(application.pk))] == ["accept"]


def test_a_sent_back_step_shows_the_reason(clerk_client, submitted, department):
    application, _ = submitted
    clerk_client.post(reverse("applications:staff_task", args=[_task_id(application)]), {"action": "accept"})
    client = Client()  # the reviewer's own browser
    login_staff(client, make_staff("market_reviewer", department, role="reviewer"))
    review_url = reverse("applications:staff_task", args=[_task_id(application, "review")])
    assert "退回至" in client.get(review_url).content.decode()
    refused = client.post(
        reverse("applications:staff_send_back", args=[_task_id(application, "review")]),
        {"target": "accept", "reason": ""},
        follow=True,
    )
    assert "请填写退回理由" in refused.content.decode()
    client.post(
        reverse("applications:staff_send_back", args=[_task_id(application, "review")]),
        {"target": "accept", "reason": "受理环节未核对原件", "direct": "1"},
    )
    page = clerk_client.get(reverse("applications:staff_task", args=[_task_id(application)])).content.decode()
    assert "退回理由：</strong>受理环节未核对原件" in page
    assert "直送" in page


def test_delegating_through_the_page_and_the_delegates_opinion_coming_back(
    clerk_client, submitted, department
):
    application, _ = submitted
    task_id = _task_id(application)
    colleague = make_staff("second_clerk", department, role="clerk")
    page = clerk_client.get(reverse("applications:staff_task", args=[task_id])).content.decode()
    assert f'<option value="{colleague.id}">second_clerk</option>' in page
    clerk_client.post(
        reverse("applications:staff_reassign", args=[task_id]),
        {"kind": "delegate", "to_user": str(colleague.id), "reason": "请核对原件"},
    )
    delegate = Client()
    login_staff(delegate, colleague)
    delegate_page = delegate.get(reverse("applications:staff_task", args=[task_id])).content.decode()
    assert "交回委派人" in delegate_page
    delegate.post(reverse("applications:staff_delegate_return", args=[task_id]), {"opinion": "原件一致"})
    case_page = clerk_client.get(reverse("applications:staff_case", args=[application.pk])).content.decode()
    assert "委派办理完毕（second_clerk → market_clerk）：原件一致" in case_page
    assert (
        clerk_client.post(
            reverse("applications:staff_task", args=[task_id]), {"action": "accept"}
        ).status_code
        == 302
    )


def test_a_copied_colleague_reads_the_case_and_the_read_receipt_shows(
    clerk_client, submitted, other_department
):
    application, _ = submitted
    task_id = _task_id(application)
    leader = make_staff("section_chief", application_department(application), role="reviewer")
    stranger = make_staff("stranger", other_department, role="clerk")
    page = clerk_client.get(reverse("applications:staff_task", args=[task_id])).content.decode()
    assert f'value="{leader.id}"' in page
    assert f'value="{stranger.id}"' not in page  # offered: the department's own staff
    clerk_client.post(
        reverse("applications:staff_copy", args=[task_id]), {"to_users": [str(leader.id)], "note": "请阅"}
    )
    assert (
        "section_chief：未阅"
        in clerk_client.get(reverse("applications:staff_case", args=[application.pk])).content.decode()
    )

    reader = Client()
    login_staff(reader, stranger)
    assert reader.get(reverse("applications:staff_case", args=[application.pk])).status_code == 404
    # A copy gives another department's staff member read access to this case only.
    copy_case(
        task_id=task_id, user_id=User.objects.get(username="market_clerk").pk, to_user_ids=[stranger.id]
    )
    assert reader.get(reverse("applications:staff_case", args=[application.pk])).status_code == 200
    assert (
        reader.post(reverse("applications:staff_task", args=[task_id]), {"action": "accept"}).status_code
        == 404
    )
    login_staff(reader, leader)
    assert application.number in reader.get(reverse("applications:staff_copies")).content.decode()
    assert reader.get(reverse("applications:staff_case", args=[application.pk])).status_code == 200
    assert (
        "section_chief：已阅"
        in clerk_client.get(reverse("applications:staff_case", args=[application.pk])).content.decode()
    )


def _accept_and_review(clerk_client, application, department):
    clerk_client.post(reverse("applications:staff_task", args=[_task_id(application)]), {"action": "accept"})
    reviewer = Client()
    login_staff(reviewer, make_staff("market_reviewer", department, role="reviewer"))
    return reviewer


def test_add_a_signer_before_me_who_signs_with_a_phrase_then_i_decide(clerk_client, submitted, department):
    application, _ = submitted
    reviewer = _accept_and_review(clerk_client, application, department)
    chief = make_staff("section_chief", department, role="approver")
    review_id = _task_id(application, "review")
    page = reviewer.get(reverse("applications:staff_task", args=[review_id])).content.decode()
    assert f'id="signer-{chief.id}"' in page
    reviewer.post(
        reverse("applications:staff_add_signers", args=[review_id]),
        {"signers": [str(chief.id)], "position": "before", "reason": "请科长先核"},
    )
    waiting = reviewer.get(reverse("applications:staff_task", args=[review_id])).content.decode()
    assert "已加签的人员尚未签署" in waiting
    assert "待签署（当前）" in waiting

    signer = Client()
    login_staff(signer, chief)
    assert application.number in signer.get(reverse("applications:staff_inbox")).content.decode()
    signer.post(
        reverse("applications:staff_sign", args=[review_id]), {"decision": "approve", "phrase": "同意。"}
    )
    response = reviewer.post(
        reverse("applications:staff_task", args=[review_id]), {"action": "pass", "opinion": "审查通过"}
    )
    assert response.status_code == 302
    lines = [(r.name, r.action_label, r.opinion) for r in process_record(subject_of(application.pk))]
    assert ("审查（前加签）", "同意", "同意。") in lines
    assert lines.index(("审查（前加签）", "同意", "同意。")) < lines.index(("审查", "审查通过", "审查通过"))


def test_remove_a_signer_i_added_through_the_page(clerk_client, submitted, department):
    application, _ = submitted
    reviewer = _accept_and_review(clerk_client, application, department)
    chief = make_staff("section_chief", department, role="approver")
    review_id = _task_id(application, "review")
    reviewer.post(
        reverse("applications:staff_add_signers", args=[review_id]),
        {"signers": [str(chief.id)], "position": "after", "reason": "请科长把关"},
    )
    page = reviewer.get(reverse("applications:staff_task", args=[review_id])).content.decode()
    assert "减签“section_chief”的理由" in page
    [signer] = [s for s in page.split('action="') if "/remove/" in s.split('"')[0]]
    url = signer.split('"')[0]
    refused = reviewer.post(url, {"reason": ""}, follow=True).content.decode()
    assert "请填写减签理由" in refused
    reviewer.post(url, {"reason": "科长出差"})
    assert (
        "section_chief"
        not in reviewer.get(reverse("applications:staff_task", args=[review_id]))
        .content.decode()
        .split("签署人员及签署情况</caption>")[1]
        .split("</table>")[0]
    )


@pytest.fixture
def joint_decision(db):
    """决定 becomes a 会签 step of every approver (a new version of the standard process)."""
    upload_definition(key="standard", data=joint_decide("all"), uploaded_by_id=None)  # type: ignore[arg-type]


def test_T_H3_a_signature_without_a_valid_decision_is_refused_never_counted_as_disagreement(
    joint_decision, clerk_client, submitted, department
):
    # Given a 会签 step whose first signer is chief_a.
    application, _ = submitted
    reviewer = _accept_and_review(clerk_client, application, department)
    first = make_staff("chief_a", department, role="approver")
    make_staff("chief_b", department, role="approver")
    reviewer.post(
        reverse("applications:staff_task", args=[_task_id(application, "review")]),
        {"action": "pass", "opinion": "审查通过"},
    )
    decide_id = _task_id(application, "decide")
    signer = Client()
    login_staff(signer, first)
    before = signers_of(decide_id)
    url = reverse("applications:staff_sign", args=[decide_id])
    # When chief_a posts a signature without 同意 or 不同意 (missing, empty, or another word).
    for decision in (None, "", "agree", "disagree", "同意"):
        data = {"opinion": "经营场所证明不符"} | ({} if decision is None else {"decision": decision})
        response = signer.post(url, data)
        # Then the task page comes back with the error, the opinion kept, and nothing is signed.
        assert response.status_code == 400, decision
        body = response.content.decode()
        assert "<title>错误：" in body
        assert '<li><a href="#decision-approve">请选择同意或不同意</a></li>' in body
        assert (
            '<p class="error-message" id="decision-error"><span class="visually-hidden">错误：</span>'
            "请选择同意或不同意</p>"
        ) in body
        assert '<textarea id="id_sign_opinion" name="opinion" rows="3">经营场所证明不符</textarea>' in body
        assert 'id="decision-approve" checked' not in body  # no decision is made for them
        assert signers_of(decide_id) == before, decision
        assert [t.step for t in open_tasks_of(subject_of(application.pk))] == ["decide"]
    # And a valid decision still signs.
    assert signer.post(url, {"decision": "approve", "opinion": "同意"}).status_code == 302
    assert [s.status for s in signers_of(decide_id) if s.user_id == first.id] == ["approved"]


def test_a_joint_step_shows_who_has_signed_and_a_rejection_decides(
    joint_decision, clerk_client, submitted, department
):
    application, _ = submitted
    reviewer = _accept_and_review(clerk_client, application, department)
    first, second = (make_staff(name, department, role="approver") for name in ("chief_a", "chief_b"))
    reviewer.post(
        reverse("applications:staff_task", args=[_task_id(application, "review")]),
        {"action": "pass", "opinion": "审查通过"},
    )
    decide_id = _task_id(application, "decide")
    a, b = Client(), Client()
    login_staff(a, first)
    login_staff(b, second)
    page = a.get(reverse("applications:staff_task", args=[decide_id])).content.decode()
    assert "会签：会签（全部同意）" in page
    assert 'name="action"' not in page  # signed, not decided by one person
    a.post(reverse("applications:staff_sign", args=[decide_id]), {"decision": "approve", "opinion": "同意"})
    page = b.get(reverse("applications:staff_task", args=[decide_id])).content.decode()
    table = page.split("签署人员及签署情况</caption>")[1].split("</table>")[0]
    assert "chief_a" in table
    assert "同意" in table
    assert "待签署（当前）" in table
    refused = b.post(
        reverse("applications:staff_sign", args=[decide_id]),
        {"decision": "reject", "opinion": ""},
        follow=True,
    )
    assert "不同意时请填写理由" in refused.content.decode()
    b.post(
        reverse("applications:staff_sign", args=[decide_id]),
        {"decision": "reject", "opinion": "经营场所证明不符"},
    )
    [close] = open_tasks_of(subject_of(application.pk))
    assert close.step == "close"
    assert [
        r.action_label for r in process_record(subject_of(application.pk)) if r.name.startswith("决定")
    ] == [
        "同意",
        "不同意",
        "会签未通过",
    ]
    sheet = approval_sheet_data(Application.objects.get(pk=application.pk))  # 审批表: each signature in order
    assert [(s.name, s.person, s.action) for s in sheet.steps if s.name.startswith("决定")] == [
        ("决定（会签人）", "chief_a", "同意"),
        ("决定（会签人）", "chief_b", "不同意"),
        ("决定", "chief_b", "会签未通过"),
    ]
