"""The process definition pages: upload by department administrators, refusals named, scoping."""

import pytest
from conftest import make_staff
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.workflow.models import ProcessDefinition
from tongban.workflow.tests.helpers import miwg, shipped, standard_with


@pytest.fixture
def admin_staff(client, department):
    login_staff(client, make_staff("dept_admin", department, role="department_admin"))
    return client


def _upload(client, data: bytes, key="civil", *, view_only=False):
    fields = {"key": key, "file": SimpleUploadedFile("process.bpmn", data, content_type="application/xml")}
    if view_only:
        fields["view_only"] = "on"
    return client.post(reverse("workflow:definitions"), fields)


def test_an_administrator_uploads_a_definition_and_sees_its_diagram(admin_staff):
    response = _upload(admin_staff, shipped("standard"))
    definition = ProcessDefinition.objects.get(key="civil")
    assert response.status_code == 302
    assert response["Location"] == reverse("workflow:definition", args=[definition.pk])
    page = admin_staff.get(response["Location"]).content.decode()
    assert "一般事项标准流程 v1" in page
    assert 'data-process-json="process-diagram-data"' in page
    assert '<script id="process-diagram-data" type="application/json">{"xml": "\\u003C?xml' in page
    assert "仅供查看" not in page


def test_T_H3_an_upload_with_code_in_a_condition_is_refused_with_the_element_named(admin_staff):
    response = _upload(admin_staff, standard_with(">accepted<", ">__import__('os').system('id')<"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "<title>错误：" in body
    assert "流程元素“受理”（f_accepted）：条件表达式" in body
    assert not ProcessDefinition.objects.filter(key="civil").exists()


def test_a_view_only_model_is_drawn_from_the_page_with_the_banner_and_its_reasons(admin_staff):
    data = miwg("C.9.1")
    refused = _upload(admin_staff, data)
    assert refused.status_code == 400
    assert not ProcessDefinition.objects.exists()

    response = _upload(admin_staff, data, view_only=True)
    definition = ProcessDefinition.objects.get(key="civil")
    assert response.status_code == 302
    page = admin_staff.get(response["Location"])
    body = page.content.decode()
    assert "<h1>Document Request v1</h1>" in body
    assert '<span class="tag tag-view-only">仅供查看（不可运行）</span>' in body
    assert (
        "<li>流程元素“Request document”（SendTask_RequestDocument）：平台不运行上传流程中的发送任务" in body
    )
    assert 'data-process-json="process-diagram-data"' in body
    assert page.context["diagram"] == {"xml": data.decode(), "done": [], "current": []}
    assert '<script id="process-diagram-data" type="application/json">{"xml":' in body
    assert "<li>Call customer（人工任务）</li>" in body
    listing = admin_staff.get(reverse("workflow:definitions")).content.decode()
    assert f'<a href="/staff/processes/{definition.pk}/">Document Request</a>' in listing
    assert '<span class="tag tag-view-only">仅供查看（不可运行）</span>' in listing
    assert 'name="view_only"' in listing
    assert "无法运行时仅作查看导入" in listing


def test_a_refusal_lists_every_reason_next_to_the_file_field(admin_staff):
    data = standard_with('<camunda:property name="role" value="reviewer"/>', "").replace(
        b'<camunda:property name="role" value="approver"/>', b""
    )
    body = _upload(admin_staff, data).content.decode()
    assert body.count("须用属性 role 指定办理角色") == 4  # two tasks, in the summary and at the field
    assert "流程元素“审查”（review）" in body
    assert "流程元素“决定”（decide）" in body


def test_staff_without_the_administrator_role_cannot_reach_the_pages(client, department):
    login_staff(client, make_staff("clerk", department, role="clerk"))
    assert client.get(reverse("workflow:definitions")).status_code == 404
    assert _upload(client, shipped("standard")).status_code == 404


def test_out_of_office_page_sets_an_agent_and_refuses_a_bad_date(client, department):
    me = make_staff("clerk", department, role="clerk")
    colleague = make_staff("colleague", department, role="clerk")
    login_staff(client, me)
    page = client.get(reverse("workflow:out_of_office")).content.decode()
    assert f'<option value="{colleague.id}">colleague</option>' in page
    refused = client.post(
        reverse("workflow:out_of_office"),
        {"agent": colleague.id, "starts_on": "明天", "ends_on": "2099-01-02"},
    )
    assert refused.status_code == 400
    assert "请输入有效日期" in refused.content.decode()
    saved = client.post(
        reverse("workflow:out_of_office"),
        {"agent": colleague.id, "starts_on": "2099-01-01", "ends_on": "2099-01-02"},
    )
    assert saved.status_code == 302
    assert "2099年1月1日至2099年1月2日" in client.get(reverse("workflow:out_of_office")).content.decode()


def test_an_upload_names_its_family(admin_staff):
    fields = {
        "key": "leave",
        "family": "internal",
        "file": SimpleUploadedFile("process.bpmn", shipped("standard"), content_type="application/xml"),
    }
    assert admin_staff.post(reverse("workflow:definitions"), fields).status_code == 302
    assert ProcessDefinition.objects.get(key="leave").family == "internal"
    _upload(admin_staff, shipped("standard"))  # no family given: 办件, as before issue 14
    assert ProcessDefinition.objects.get(key="civil").family == "application"


def test_an_unknown_family_is_refused_next_to_its_field(admin_staff):
    fields = {
        "key": "leave",
        "family": "party",
        "file": SimpleUploadedFile("process.bpmn", shipped("standard"), content_type="application/xml"),
    }
    response = admin_staff.post(reverse("workflow:definitions"), fields)
    assert response.status_code == 400
    assert '<li><a href="#id_family">请选择流程类别</a></li>' in response.content.decode()
    assert not ProcessDefinition.objects.filter(key="leave").exists()
