"""Who opens a department's cases and their materials: every staff role × every staff page and download
that shows a case (T-B3, docs/threats.md). The decision is organizations.selectors.CASE_ROLES: the
roles that handle cases (受理, 审核, 审批) and those that supervise them (电子监察) read them; 事项管理员
and 部门管理员 get 404, unless an open task or a copy (抄送) brings a case to them.

A new role (StaffRole) or a new staff route taking a case, task, material or license fails
``test_T_B3_every_role_and_every_case_page_has_a_decision`` until it is added to the tables below."""

import pytest
from conftest import make_staff
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.security.routes import routes
from tongban.accounts.tests.helpers import login_staff
from tongban.applications.models import Application
from tongban.applications.subjects import subject_of
from tongban.licenses.models import License
from tongban.licenses.tests.factories import (
    business_license_type,
    close_application,
    enterprise,
    submitted_application,
)
from tongban.organizations.models import StaffRole
from tongban.organizations.selectors import CASE_ROLES
from tongban.organizations.tests.factories import DepartmentFactory
from tongban.supervision.models import Intervention
from tongban.workflow.models import WorkTask
from tongban.workflow.selectors import open_tasks_of
from tongban.workflow.services import copy_case

# The decision, per role, for a member whose only role is held in the case's department.
READS_CASES = {"clerk", "reviewer", "approver", "supervisor", "city_supervisor"}
# Licenses: who handles the department's cases, and its administrator (who revokes them).
READS_LICENSES = {"clerk", "reviewer", "approver", "department_admin"}
# 督办/催办 on a case (POST): the supervisors.
SUPERVISES = {"supervisor", "city_supervisor"}
# The open task is 受理, a clerk's step: only a clerk may open it (T-H1).
HOLDS_THE_TASK = {"clerk"}

# GET pages and downloads: route name -> the roles that get 200 (everyone else: 404).
PAGES = {
    "applications:staff_case": READS_CASES,
    "applications:staff_process": READS_CASES,
    "applications:staff_approval_sheet": READS_CASES,
    "applications:staff_material": READS_CASES,
    "applications:staff_task": HOLDS_THE_TASK,
    "licenses:staff_detail": READS_LICENSES,
}
# POST-only actions on the task (every one goes through the same task-and-case check): 404 for
# anyone but the task's holder, who is not asked here (the action would change the case).
TASK_ACTIONS = {
    "applications:staff_claim",
    "applications:staff_correction",
    "applications:staff_send_back",
    "applications:staff_withdraw",
    "applications:staff_reassign",
    "applications:staff_copy",
    "applications:staff_sign",
    "applications:staff_add_signers",
    "applications:staff_remove_signer",
    "applications:staff_delegate_return",
    "applications:staff_procedure",
}
# POST actions on the case: route name -> the roles that get a redirect (302) back to their page.
CASE_ACTIONS = {"supervision:intervene": SUPERVISES}
# 查看完整号码 reads the case as the case page does (get_application_for_staff) and needs a field holding
# a number: its roles are walked in applications/tests/test_resident_ids_in_answers.py.
DECIDED_ELSEWHERE = {
    "applications:staff_reveal_resident_id",
    # A file attached in a case's form: get_application_for_staff, as the case pages walked here;
    # applications/tests/test_form_rows_and_attachments.py tries a non-handling role and a stranger.
    "applications:staff_form_upload",
    # 内部事项 task pages: a request's task, never a citizen's case (task_for: its holders and
    # candidates only); office/tests/test_handling.py tries strangers on each.
    "office:task",
    "office:claim",
    "office:sign",
    "office:send_back",
    "office:nudge",
    "office:add_signers",
    "office:remove_signer",
    "office:reassign",
    "office:delegate_return",
    "office:copy",
    # 发文 task pages: a document's task, never a citizen's case (task_for and the 知悉范围 of
    # documents.access); documents/tests/test_outgoing_pages.py tries a stranger (T_B3).
    "documents:task",
    "documents:claim",
    # 主动公开 review tasks: a disclosure item's task, never a citizen's case (task_for: its holders and
    # candidates, as for 内部事项 and 发文 above).
    "disclosure:task",
    "disclosure:claim",
    "documents:sign_off",
    "documents:sign",
    "documents:send_back",
    "documents:nudge",
    "documents:add_signers",
    "documents:remove_signer",
    "documents:reassign",
    "documents:delegate_return",
    "documents:copy",
    # 收文 task pages: a received document's task (task_for and documents.access.get_received_for);
    # documents/tests/test_incoming_handling.py tries someone outside its 知悉范围 (404 and an audit row).
    "documents:received_task",
    "documents:received_claim",
    "documents:received_sign",
    "documents:received_send_back",
    "documents:received_nudge",
    "documents:received_add_signers",
    "documents:received_remove_signer",
    "documents:received_reassign",
    "documents:received_delegate_return",
    "documents:received_copy",
}
CASE_PARAMS = {"application_id", "material_id", "task_id", "license_pk", "signer_id"}


@pytest.fixture
def cases(department, publish_item, django_capture_on_commit_callbacks):
    """An open case (waiting for 受理, with an uploaded material) and a license issued by a closed one,
    both of ``department``."""
    item = publish_item(department, serves_legal_persons=True)
    business_license_type(department, item)
    applicant = enterprise()
    open_id = submitted_application(item, applicant_id=applicant.id)
    closed_id = submitted_application(item, applicant_id=applicant.id)
    with django_capture_on_commit_callbacks(execute=True):
        close_application(closed_id)
    application = Application.objects.get(pk=open_id)
    [task] = open_tasks_of(subject_of(open_id))
    return {
        "application_id": open_id,
        "material_id": application.materials.first().pk,
        "task_id": task.id,
        "license_pk": License.objects.get(application_id=closed_id).pk,
        "signer_id": 1,
    }


def _url(name: str, ids: dict) -> str:
    return reverse(name, kwargs={param: ids[param] for param in routes()[name].params})


def _client_of(username: str, department, role: str) -> Client:
    client = Client()
    login_staff(client, make_staff(username, department, role=role))
    return client


def test_T_B3_every_role_and_every_case_page_has_a_decision():
    decided = set(PAGES) | TASK_ACTIONS | set(CASE_ACTIONS) | DECIDED_ELSEWHERE
    taking_a_case = {
        name
        for name, route in routes().items()
        if route.route.startswith("staff/") and CASE_PARAMS & set(route.params)
    }
    assert taking_a_case == decided
    assert {*READS_CASES, *READS_LICENSES, *SUPERVISES, *HOLDS_THE_TASK} <= set(StaffRole.values)
    assert READS_CASES == CASE_ROLES
    # Every role is decided: the roles that read nothing are named, not forgotten.
    # 全市系统管理员 administers staff accounts, not cases. 部门负责人 (a step's assignee by the rules
    # department_head and leader) reads a case while a task of it is theirs, like anyone.
    # The 公文 and 档案 roles read documents and archives (documents.access, archives), never cases;
    # 通知发布员 publishes notices (tongban.notices); 会议室管理员, 督查人员, 信息员 and 信息编辑 run
    # meetings, 督办 and 政务信息 (issue 16), never cases. The 安全管理员 and 审计管理员 administer
    # (issue 20); the 政务公开, 依申请公开, 意见征集 and 12345 roles work on items, requests, comments and work orders of
    # their own apps (issue 17), never cases.
    assert set(StaffRole.values) - READS_CASES - READS_LICENSES == {
        "catalog_editor",
        "city_admin",
        "department_head",
        "document_clerk",
        "document_reviewer",
        "document_signer",
        "seal_keeper",
        "archivist",
        "meeting_admin",
        "tracking_officer",
        "briefing_reporter",
        "briefing_editor",
        "notice_publisher",
        "security_admin",
        "audit_admin",
        "disclosure_request_handler",
        "disclosure_request_approver",
        "consultation_publisher",
        "consultation_moderator",
        "hotline_agent",
        "hotline_dispatcher",
        "hotline_handler",
        "disclosure_editor",
        "disclosure_secrecy_reviewer",
        "disclosure_approver",
        "disclosure_admin",
        "region_admin",  # a county's 系统管理员 (issue 20): departments, staff, items, processes; no cases
    }
    assert set(StaffRole.values) == {
        "catalog_editor",
        "clerk",
        "reviewer",
        "approver",
        "supervisor",
        "department_admin",
        "city_supervisor",
        "city_admin",
        "department_head",
        "document_clerk",
        "document_reviewer",
        "document_signer",
        "seal_keeper",
        "archivist",
        "meeting_admin",
        "tracking_officer",
        "briefing_reporter",
        "briefing_editor",
        "notice_publisher",
        "security_admin",
        "audit_admin",
        "disclosure_request_handler",
        "disclosure_request_approver",
        "consultation_publisher",
        "consultation_moderator",
        "hotline_agent",
        "hotline_dispatcher",
        "hotline_handler",
        "disclosure_editor",
        "disclosure_secrecy_reviewer",
        "disclosure_approver",
        "disclosure_admin",
        "region_admin",
    }


@pytest.mark.parametrize("role", StaffRole.values)
def test_T_B3_a_role_opens_the_department_s_cases_only_if_it_handles_or_supervises_them(
    role, department, cases
):
    client = _client_of(f"only_{role}", department, role)
    task = WorkTask.objects.get(pk=cases["task_id"])
    events = Application.objects.get(pk=cases["application_id"]).events.count()

    answers = {name: client.get(_url(name, cases)).status_code for name in PAGES}
    assert answers == {name: 200 if role in readers else 404 for name, readers in PAGES.items()}

    if role not in HOLDS_THE_TASK:
        acted = {
            name: client.post(_url(name, cases), {"action": "accept"}).status_code for name in TASK_ACTIONS
        }
        assert acted == dict.fromkeys(TASK_ACTIONS, 404)
    today = timezone.localdate().isoformat()
    posted = {
        name: client.post(
            _url(name, cases), {"kind": "order", "message": "请说明进度", "reply_due": today}
        ).status_code
        for name in CASE_ACTIONS
    }
    assert posted == {name: 302 if role in roles else 404 for name, roles in CASE_ACTIONS.items()}
    assert Intervention.objects.count() == (1 if role in SUPERVISES else 0)
    # Nothing else changed: the task is open and unclaimed, the case has no new event.
    task.refresh_from_db()
    assert (task.status, task.assignee_id) == ("open", None)
    assert Application.objects.get(pk=cases["application_id"]).events.count() == events


@pytest.mark.parametrize("role", StaffRole.values)
def test_T_B3_a_role_in_another_department_opens_nothing_but_the_city_supervisor_every_case(role, cases):
    elsewhere = DepartmentFactory(name="云州市数据局", short_name="市数据局")
    client = _client_of(f"elsewhere_{role}", elsewhere, role)
    answers = {name: client.get(_url(name, cases)).status_code for name in PAGES}
    citywide = role == "city_supervisor"
    assert answers == {
        name: 200 if citywide and readers is READS_CASES else 404 for name, readers in PAGES.items()
    }


def test_T_B3_a_copy_still_opens_the_case_to_a_catalog_editor(department, cases):
    editor = make_staff("editor_with_copy", department, role="catalog_editor")
    client = Client()
    login_staff(client, editor)
    case_pages = [name for name, readers in PAGES.items() if readers is READS_CASES]
    assert {client.get(_url(name, cases)).status_code for name in case_pages} == {404}
    clerk = make_staff("clerk_who_copies", department, role="clerk")
    copy_case(task_id=cases["task_id"], user_id=clerk.id, to_user_ids=[editor.id], note="请阅")
    assert {name: client.get(_url(name, cases)).status_code for name in case_pages} == dict.fromkeys(
        case_pages, 200
    )
