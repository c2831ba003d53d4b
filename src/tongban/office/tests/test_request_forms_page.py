"""内部事项表单: process administrators view and edit a form's JSON; the form engine's problems are
listed and nothing is saved; anyone else gets a 404."""

import json

from conftest import make_staff

from tongban.accounts.tests.helpers import login_staff
from tongban.office import selectors


def test_a_process_administrator_edits_a_form_and_sees_its_problems(client, department):
    admin = make_staff("form_admin", department, "department_admin")
    login_staff(client, admin)
    assert "leave_request" in client.get("/staff/request-forms/").content.decode()
    page = client.get("/staff/request-forms/leave_request/").content.decode()
    assert "请假事由" in page
    broken = {"type": "object", "properties": {"reason": {"type": "string"}}}
    response = client.post(
        "/staff/request-forms/leave_request/",
        {"name": "请假", "schema": json.dumps(broken), "ui_schema": "{}"},
    )
    assert response.status_code == 400
    assert "maxLength" in response.content.decode()
    assert "days" in selectors.form_for("leave_request").schema["properties"]
    bad_json = client.post(
        "/staff/request-forms/leave_request/", {"name": "请假", "schema": "{", "ui_schema": "{}"}
    )
    assert "不是有效的JSON" in bad_json.content.decode()
    schema = {"type": "object", "properties": {"note": {"type": "string", "maxLength": 50}}}
    ui = {"note": {"ui:label": "说明"}}
    saved = client.post(
        "/staff/request-forms/simple_note/",
        {"name": "简单事项", "schema": json.dumps(schema), "ui_schema": json.dumps(ui)},
    )
    assert saved.status_code == 302
    assert selectors.form_for("simple_note").ui_schema == ui


def test_a_reserved_field_name_is_refused(client, department):
    admin = make_staff("form_admin", department, "department_admin")
    login_staff(client, admin)
    schema = {"type": "object", "properties": {"opinion": {"type": "string", "maxLength": 50}}}
    response = client.post(
        "/staff/request-forms/clash/",
        {
            "name": "冲突",
            "schema": json.dumps(schema),
            "ui_schema": json.dumps({"opinion": {"ui:label": "意见"}}),
        },
    )
    assert response.status_code == 400
    assert "由办理页面使用" in response.content.decode()
    assert selectors.form_for("clash") is None


def test_other_staff_get_a_404(client, department):
    clerk = make_staff("form_clerk", department, "clerk")
    login_staff(client, clerk)
    assert client.get("/staff/request-forms/").status_code == 404
    assert (
        client.post("/staff/request-forms/x/", {"name": "x", "schema": "{}", "ui_schema": "{}"}).status_code
        == 404
    )


def test_the_command_installs_the_shipped_forms_once(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("install_request_forms", stdout=out)
    assert (
        out.getvalue().strip()
        == "4 form(s) stored: leave_request, purchase_request, report_request, seal_request"
    )
    out = StringIO()
    call_command("install_request_forms", stdout=out)
    assert out.getvalue().strip() == "Forms are up to date."
