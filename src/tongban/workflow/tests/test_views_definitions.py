"""The process definition pages: upload by department administrators, refusals named, scoping."""

import pytest
from conftest import make_staff
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.workflow.models import ProcessDefinition
from tongban.workflow.tests.helpers import shipped, standard_with


@pytest.fixture
def admin_staff(client, department):
    login_staff(client, make_staff("dept_admin", department, role="department_admin"))
    return client


def _upload(client, data: bytes, key="civil"):
    return client.post(
        reverse("workflow:definitions"),
        {"key": key, "file": SimpleUploadedFile("process.bpmn", data, content_type="application/xml")},
    )


def test_an_administrator_uploads_a_definition_and_sees_its_diagram(admin_staff):
    response = _upload(admin_staff, shipped("standard"))
    definition = ProcessDefinition.objects.get(key="civil")
    assert response.status_code == 302
    assert response["Location"] == reverse("workflow:definition", args=[definition.pk])
    page = admin_staff.get(response["Location"]).content.decode()
    assert "一般事项标准流程 v1" in page
    assert f'data-process-url="/staff/processes/{definition.pk}/diagram/"' in page


def test_T_H3_an_upload_with_code_in_a_condition_is_refused_with_the_element_named(admin_staff):
    response = _upload(admin_staff, standard_with(">accepted<", ">__import__('os').system('id')<"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "<title>错误：" in body
    assert "流程元素“受理”（f_accepted）：条件表达式" in body
    assert not ProcessDefinition.objects.filter(key="civil").exists()


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
