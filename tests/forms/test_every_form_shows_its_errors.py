"""Every form of the portal and the workbench answers bad input on the same page, with the error summary
of UX.md (heading 请修改以下问题, each item a link to its field) and a Chinese message that names the problem
— never a blank page, a bare status or a message only a script would read (issue 13).

A new form is added to ``PORTAL_FORMS`` or ``WORKBENCH_FORMS``. Each case posts bad input and names words
the message must contain."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from conftest import PASSWORD, make_staff
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tongban.accounts.services import ensure_user
from tongban.accounts.tests.helpers import login_staff
from tongban.applications import services as application_services
from tongban.applications.tests.factories import (
    PERSON_ANSWERS,
    PERSON_SCHEMA,
    PERSON_UI,
    draft_with_materials,
)
from tongban.catalog.selectors import version_snapshot
from tongban.organizations.services import assign_role
from tongban.workflow.selectors import inbox_tasks

ERROR_STATUSES = {200, 400, 404, 409, 422, 429}


class _Summary(HTMLParser):
    """The error summary's items (text and link target), the ids on the page and the page title."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.title = ""
        self._depth = 0  # >0 while inside the summary
        self._href: str | None = None
        self._text: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag == "title":
            self._in_title = True
        if self._depth:
            self._depth += tag not in {"br", "input", "img"}
            if tag == "a":
                self._href, self._text = attributes.get("href", ""), []
        elif tag == "div" and "error-summary" in (attributes.get("class") or "").split():
            assert attributes.get("role") == "alert", "the error summary is announced (role=alert)"
            self._depth = 1

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if not self._depth:
            return
        if tag == "a" and self._href is not None:
            self.items.append(("".join(self._text).strip(), self._href))
            self._href = None
        self._depth -= 1

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._href is not None:
            self._text.append(data)


def assert_error_shown(response, *expected: str) -> list[str]:
    """The page answers with its error summary; each item links to an element of the page; one item
    holds every word of ``expected``. Returns the messages."""
    if response.status_code in (301, 302, 303):
        raise AssertionError(f"redirected to {response['Location']} instead of showing the error")
    assert response.status_code in ERROR_STATUSES, response.status_code
    page = _Summary()
    page.feed(response.content.decode())
    assert page.title.strip().startswith("错误："), page.title
    messages = [text for text, _href in page.items]
    assert messages, "no error summary"
    for text, href in page.items:
        assert re.search(r"[\u4e00-\u9fff]", text), f"not a Chinese message: {text!r}"
        assert href.startswith("#"), href
        assert href[1:] in page.ids, f"the summary links {href}, not on the page"
    assert any(all(word in text for word in expected) for text in messages), (expected, messages)
    return messages


@dataclass
class Case:
    name: str
    url: str
    data: dict
    expected: tuple[str, ...]


@pytest.fixture
def citizen(db):
    return ensure_user(
        username="13800000021", full_name="张三", kind="citizen", password=PASSWORD, phone="13800000021"
    )


@pytest.fixture
def open_task(department, publish_item, citizen, django_capture_on_commit_callbacks):
    """A submitted case waiting for 受理, the clerk who holds it and a colleague."""
    clerk = make_staff("form_clerk", department, role="clerk")
    make_staff("form_colleague", department, role="clerk")
    item = publish_item(department)
    application_id = draft_with_materials(applicant_id=citizen.id, item=item, answers={"address": "滨江路"})
    with django_capture_on_commit_callbacks(execute=True):
        application_services.submit_application(application_id=application_id, applicant_id=citizen.id)
    [task] = inbox_tasks(clerk.id)
    return clerk, task


def test_portal_forms_show_their_errors(client, citizen):
    cases = [
        Case(
            "办件查询：身份证号码位数不对", "/status/", {"number": "YZ0000", "resident_id": "1234"}, ("18位",)
        ),
        Case(
            "办件查询：没有这样的办件",
            "/status/",
            {"number": "YZ0000", "resident_id": "110101199003074514"},
            ("没有找到",),
        ),
        Case("注册：空表", "/account/register/citizen/", {}, ("请输入",)),
        Case(
            "登录：密码不对",
            "/account/login/",
            {"phone": "13800000021", "password": "wrong-Pass-1"},
            ("密码",),
        ),
        Case("验证码登录：空表", "/account/login/code/", {}, ("请输入",)),
        Case("工作人员登录：空表", "/staff/login/", {}, ("请输入",)),
    ]
    for case in cases:
        response = client.post(case.url, case.data)
        try:
            assert_error_shown(response, *case.expected)
        except AssertionError as exc:
            raise AssertionError(f"{case.name}: {exc}") from exc


def test_workbench_task_operations_show_their_errors_on_the_task_page(client, open_task):
    clerk, task = open_task
    login_staff(client, clerk)
    task_url = f"/staff/tasks/{task.id}/"
    client.post(f"{task_url}claim/")
    cases = [
        Case("办理：未选择办理结果", task_url, {"opinion": ""}, ("请选择",)),
        Case("退回补正：没有说明", f"{task_url}correction/", {"reason": ""}, ()),
        Case(
            "转办：没有理由", f"{task_url}reassign/", {"kind": "transfer", "to_user": "0", "reason": ""}, ()
        ),
        Case("抄送：没有选人", f"{task_url}copy/", {"note": "请阅"}, ()),
        # Not a 会签 step: the refusal points at the page, as there is no signing form on it.
        Case("会签：没有选择同意或不同意", f"{task_url}sign/", {"opinion": "好"}, ()),
        Case("特别程序：没有理由", f"{task_url}procedure/", {"kind": "", "reason": ""}, ()),
    ]
    for case in cases:
        response = client.post(case.url, case.data)
        try:
            assert_error_shown(response, *case.expected)
        except AssertionError as exc:
            raise AssertionError(f"{case.name}: {exc}") from exc
    # Nothing was done: the task is still open and mine.
    [still] = inbox_tasks(clerk.id)
    assert (still.id, still.status, still.assignee_id) == (task.id, "open", clerk.id)


def test_workbench_forms_show_their_errors(client, department, open_task):
    admin = make_staff("form_admin", department, role="department_admin")
    assign_role(user_id=admin.id, department_id=department.pk, role="city_admin")
    login_staff(client, admin)
    cases = [
        Case("岗位管理：空表", "/staff/roles/", {}, ("请输入岗位代码",)),
        Case("环节类型：代码已用", "/staff/step-kinds/", {"code": "accept", "name": "新受理"}, ("已被使用",)),
        Case(
            "流程定义：不是 BPMN 文件",
            "/staff/processes/",
            {"file": SimpleUploadedFile("x.bpmn", b"not xml", content_type="text/xml")},
            (),
        ),
        Case("人员管理：新建空表", "/staff/people/new/", {}, ("请输入",)),
        Case("部门管理：新建空表", "/staff/departments/new/", {}, ("请输入部门名称",)),
        Case("常用语：空白", "/staff/phrases/", {"text": ""}, ()),
        Case("代理：日期不对", "/staff/out-of-office/", {"agent": "", "starts_on": "x", "ends_on": ""}, ()),
        Case("预约规则：空表", "/staff/appointments/rules/new/", {}, ()),
        Case(
            "内部事项表单：不是JSON",
            "/staff/request-forms/x/",
            {"name": "x", "schema": "{", "ui_schema": "{}"},
            ("JSON",),
        ),
        Case(
            "内部事项表单：表单引擎不接受",
            "/staff/request-forms/x/",
            {
                "name": "x",
                "schema": '{"type": "object", "properties": {"a": {"type": "string"}}}',
                "ui_schema": "{}",
            },
            ("maxLength",),
        ),
    ]
    for case in cases:
        response = client.post(case.url, case.data)
        try:
            assert_error_shown(response, *case.expected)
        except AssertionError as exc:
            raise AssertionError(f"{case.name}: {exc}") from exc


@pytest.fixture
def correction(department, publish_item, citizen, django_capture_on_commit_callbacks):
    """A case returned for 补正 of the resident ID field and the one material."""
    clerk = make_staff("form_clerk", department, role="clerk")
    item = publish_item(department, form_schema=PERSON_SCHEMA, ui_schema=PERSON_UI)
    application_id = draft_with_materials(applicant_id=citizen.id, item=item, answers=PERSON_ANSWERS)
    with django_capture_on_commit_callbacks(execute=True):
        application_services.submit_application(application_id=application_id, applicant_id=citizen.id)
    [material] = version_snapshot(item.version_id).materials
    application_services.request_correction(
        application_id=application_id,
        staff_id=clerk.id,
        reason="身份证号码与证件不符，申请书未签字",
        fields=["resident_id"],
        material_ids=[material.id],
    )
    return clerk, application_id, material.id


def test_correction_and_reveal_forms_show_their_errors(client, correction):
    clerk, application_id, material_id = correction
    client.login(username="13800000021", password=PASSWORD)
    cases = [
        Case("提交补正材料：尚未完成", f"/applications/{application_id}/correction/", {}, ("请上传新的",)),
        Case(
            "补正材料：空文件",
            f"/applications/{application_id}/correction/",
            {"requirement_id": material_id, "file": SimpleUploadedFile("a.pdf", b"")},
            ("为空",),
        ),
        Case(
            "补正填报项：身份证号码位数不对",
            f"/applications/{application_id}/form/",
            {"resident_id": "1234"},
            ("18位",),
        ),
    ]
    for case in cases:
        response = client.post(case.url, case.data)
        try:
            assert_error_shown(response, *case.expected)
        except AssertionError as exc:
            raise AssertionError(f"{case.name}: {exc}") from exc
    staff = Client()
    login_staff(staff, clerk)
    response = staff.post(f"/staff/applications/{application_id}/resident-id/resident_id/", {"reason": ""})
    assert_error_shown(response, "请输入查看理由")


def test_application_form_tables_and_attachments_show_their_errors(client, citizen, department, publish_item):
    """The form engine's 明细表 cells and attachments (issue 14) answer in the same summary."""
    from tongban.schemaforms.tests.helpers import example

    schema, ui = example("purchase_request")
    item = publish_item(department, form_schema=schema, ui_schema=ui)
    client.login(username="13800000021", password=PASSWORD)
    form_url = client.post(f"/services/{item.implementation_code}/apply/")["Location"]
    response = client.post(
        form_url,
        {
            "reason": "购置",
            "category": "goods",
            "items-count": "2",
            "items-0-name": "纸",
            "items-0-quantity": "1",
            "items-0-unit_price": "1",
            "items-1-name": "笔",
            "items-1-quantity": "两",
            "items-1-unit_price": "1",
        },
    )

    messages = assert_error_shown(response, "第2行", "数量", "整数")
    assert "请上传报价单" in messages


def test_internal_request_forms_show_their_errors(client, department):
    """内部事项: 发起 with a bad form, and a step's decision without a result or with a read-only field."""
    from pathlib import Path

    from tongban.office import services as office_services
    from tongban.workflow import services as workflow_services
    from tongban.workflow.selectors import open_tasks_of

    processes = Path(__file__).resolve().parents[2] / "src" / "tongban" / "demo" / "data" / "processes"
    for key in ("office_leave", "office_seal"):
        workflow_services.install_definition(
            key=key, data=(processes / f"{key}.bpmn").read_bytes(), family="internal"
        )
    initiator = make_staff("form_initiator", department, role="clerk")
    approver = make_staff("form_approver", department, role="approver")
    assign_role(user_id=approver.id, department_id=department.pk, role="department_head")  # 部门负责人审批
    login_staff(client, initiator)
    start_cases = [
        Case("发起请假：空表", "/staff/start/office_leave/", {"idempotency_key": "a"}, ("请",)),
        Case(
            "发起请假：天数为0",
            "/staff/start/office_leave/",
            {"idempotency_key": "b", "leave_type": "annual", "days": "0", "reason": "x"},
            ("请假天数",),
        ),
        Case("发起用印：空表", "/staff/start/office_seal/", {"idempotency_key": "c"}, ("请",)),
    ]
    request_id = office_services.start_request(
        user_id=initiator.id,
        username=initiator.username,
        process_key="office_seal",
        department_id=department.pk,
        answers={"document_name": "协议", "seal": "official", "copies": 1, "purpose": "签约"},
        idempotency_key="walk",
    )
    [task] = open_tasks_of(f"request:{request_id}")
    task_url = f"/staff/request-tasks/{task.id}/"
    for case in start_cases:
        response = client.post(case.url, case.data)
        try:
            assert_error_shown(response, *case.expected)
        except AssertionError as exc:
            raise AssertionError(f"{case.name}: {exc}") from exc
    login_staff(client, approver)
    task_cases = [
        Case("内部事项办理：未选择办理结果", task_url, {"opinion": ""}, ("请选择",)),
        Case("内部事项办理：不同意没有意见", task_url, {"action": "reject", "opinion": ""}, ("意见",)),
        Case("内部事项办理：修改只读字段", task_url, {"action": "approve", "copies": "9"}, ("不能修改",)),
        Case("内部事项退回：没有理由", f"{task_url}send-back/", {"target": "x", "reason": ""}, ()),
    ]
    for case in task_cases:
        response = client.post(case.url, case.data)
        try:
            assert_error_shown(response, *case.expected)
        except AssertionError as exc:
            raise AssertionError(f"{case.name}: {exc}") from exc
    assert [t.id for t in open_tasks_of(f"request:{request_id}")] == [task.id]


def test_document_forms_show_their_errors(client, db):
    """发文 (doc-flow): 拟稿 without a template, a 请示 with two 主送, a step without a result, 签发
    without an opinion or signature, 退回 without a reason, editing after 签发."""
    from tongban.documents.services import drafting, steps
    from tongban.documents.tests.flow import make_office, open_task, png, start

    office = make_office()
    login_staff(client, office.drafter)
    request_id = start(office, office.request_template)
    notice_id = start(office)
    draft_url = f"/staff/document-tasks/{open_task(f'document:{notice_id}', 'draft').id}/"
    cases = [
        Case("拟稿：没有选模板", "/staff/documents/new/", {"idempotency_key": "x"}, ("请选择公文模板",)),
        Case(
            "发文单：请示两个主送",
            f"/staff/documents/{request_id}/form/",
            {"title": "关于增拨经费的请示", "main_names": "市人民政府\n市发展改革委"},
            ("请示只能主送一个机关",),
        ),
        Case(
            "发文单：份号和密级",
            f"/staff/documents/{request_id}/form/",
            {"title": "关于增拨经费的请示", "copy_number": "12", "secrecy": "secret"},
            ("份号",),
        ),
        Case("拟稿办理：没有主送", draft_url, {"action": "submit"}, ("主送",)),
        Case("拟稿办理：没有选择结果", draft_url, {"opinion": ""}, ("请选择",)),
    ]
    for case in cases:
        response = client.post(case.url, case.data)
        try:
            assert_error_shown(response, *case.expected)
        except AssertionError as exc:
            raise AssertionError(f"{case.name}: {exc}") from exc
    drafting.update_form(
        document_id=notice_id,
        user_id=office.drafter.id,
        title="关于做好有关工作的通知",
        main_names=["各区人民政府"],
    )
    for element, user, action in (
        ("draft", office.drafter, "submit"),
        ("dept_review", office.head, "agree"),
        ("office_review", office.reviewer, "agree"),
    ):
        steps.handle_step(
            task_id=open_task(f"document:{notice_id}", element).id, user_id=user.id, action=action, opinion=""
        )
    sign_off_url = f"/staff/document-tasks/{open_task(f'document:{notice_id}', 'sign_off').id}/"
    login_staff(client, office.signer)
    signer_cases = [
        Case("签发：没有意见", f"{sign_off_url}sign-off/", {"opinion": ""}, ("签发意见",)),
        Case("签发：没有签名", f"{sign_off_url}sign-off/", {"opinion": "同意"}, ("签名",)),
        Case(
            "签发：签名不是PNG",
            f"{sign_off_url}sign-off/",
            {"opinion": "同意", "signature": "data:image/svg+xml;base64,PHN2Zy8+"},
            ("PNG",),
        ),
        Case(
            "签发退回：没有理由",
            f"{sign_off_url}send-back/",
            {"target": "draft", "reason": ""},
            ("退回理由",),
        ),
    ]
    for case in signer_cases:
        response = client.post(case.url, case.data)
        try:
            assert_error_shown(response, *case.expected)
        except AssertionError as exc:
            raise AssertionError(f"{case.name}: {exc}") from exc
    drafting.sign_off(
        task_id=open_task(f"document:{notice_id}", "sign_off").id,
        user_id=office.signer.id,
        opinion="同意",
        signature_png=png(),
        use_saved_signature=False,
    )
    response = client.post(f"/staff/documents/{notice_id}/form/", {"title": "改"})
    assert response.status_code == 409
    assert_error_shown(response, "已签发")
