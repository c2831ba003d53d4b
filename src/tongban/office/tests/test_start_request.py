"""发起: the start page lists what the user may start; a valid form starts the request and its process
once; an invalid one saves nothing; someone not among the starters is refused."""

import re

import pytest

from tongban.accounts.tests.helpers import login_staff
from tongban.office import selectors, services
from tongban.office.errors import RequestNotFound
from tongban.office.models import InternalRequest
from tongban.office.tests.conftest import model
from tongban.office.tests.helpers import ANSWERS, LEAVE_POST, start
from tongban.workflow import selectors as workflow_selectors
from tongban.workflow import services as workflow_services


def test_the_start_page_lists_the_internal_processes_by_category(client, processes, initiator):
    login_staff(client, initiator)
    page = client.get("/staff/start/").content.decode()
    for name in ("请示报告审批", "请假", "用印申请", "采购申请", "综合办公", "人事", "财务"):
        assert name in page


def test_a_valid_form_starts_the_request_and_its_process(client, processes, initiator, department):
    login_staff(client, initiator)
    response = client.post(
        "/staff/start/office_leave/", LEAVE_POST | {"department": department.pk, "idempotency_key": "k1"}
    )
    request = InternalRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/requests/{request.pk}/"
    assert re.fullmatch(r"NB-\d{4}-\d{6}", request.number)
    assert request.answers == {
        "leave_type": "annual",
        "start_date": "2026-12-14",
        "days": 2,
        "reason": "回老家探亲",
    }
    assert (request.status, request.department_id, request.definition_key) == (
        "running",
        department.pk,
        "office_leave",
    )
    [task] = workflow_selectors.open_tasks_of(request.subject)
    assert (task.name, task.department_id) == ("部门负责人审批", department.pk)


def test_an_invalid_form_shows_its_errors_and_saves_nothing(client, processes, initiator, department):
    login_staff(client, initiator)
    response = client.post(
        "/staff/start/office_leave/",
        LEAVE_POST | {"days": "0", "reason": "", "department": department.pk, "idempotency_key": "k"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "请修改以下问题" in page
    assert "<title>错误：" in page
    assert "请输入请假事由" in page
    assert InternalRequest.objects.count() == 0
    assert workflow_selectors.instance_of("request:1") is None


def test_a_retried_submission_is_not_started_twice(client, processes, initiator, department):
    login_staff(client, initiator)
    data = LEAVE_POST | {"department": department.pk, "idempotency_key": "same-key"}
    first = client.post("/staff/start/office_leave/", data)
    second = client.post("/staff/start/office_leave/", data)
    assert first["Location"] == second["Location"]
    assert InternalRequest.objects.count() == 1


def test_someone_not_among_the_starters_is_refused(client, db, initiator, department):
    restricted = model("office_leave").replace(
        b'<camunda:property name="starters" value="" />',
        b'<camunda:property name="starters" value="department_admin" />',
    )
    workflow_services.install_definition(key="office_leave", data=restricted, family="internal")
    login_staff(client, initiator)
    assert "请假" not in client.get("/staff/start/").content.decode()
    assert client.get("/staff/start/office_leave/").status_code == 404
    assert (
        client.post(
            "/staff/start/office_leave/", LEAVE_POST | {"department": department.pk, "idempotency_key": "k"}
        ).status_code
        == 404
    )
    with pytest.raises(RequestNotFound):
        start(initiator, department)
    assert InternalRequest.objects.count() == 0


def test_an_application_process_cannot_be_started_from_the_start_page(client, db, initiator, department):
    login_staff(client, initiator)
    assert client.get("/staff/start/standard/").status_code == 404


@pytest.mark.parametrize(
    ("key", "first_step"),
    [
        ("office_report", "部门负责人审核"),
        ("office_leave", "部门负责人审批"),
        ("office_seal", "部门负责人审批"),
        ("office_purchase", "部门负责人审批"),
    ],
)
def test_each_demo_process_validates_and_starts(processes, initiator, department, key, first_step):
    request_id = start(initiator, department, key)
    [task] = workflow_selectors.open_tasks_of(f"request:{request_id}")
    assert task.name == first_step
    assert workflow_selectors.published_process(key).family == "internal"
    assert selectors.form_for(workflow_selectors.published_process(key).properties["form"]) is not None
    assert set(ANSWERS[key]) <= set(
        selectors.form_fields(
            selectors.form_for(workflow_selectors.published_process(key).properties["form"]).key
        )
    )


def test_a_form_is_saved_only_when_the_form_engine_accepts_it(db):
    from tongban.schemaforms import FormSchemaError

    with pytest.raises(FormSchemaError):
        services.save_form(
            key="broken",
            name="坏表单",
            schema={"type": "object", "properties": {"x": {"type": "string"}}},
            ui_schema={},
        )
    assert selectors.form_for("broken") is None  # and the shipped forms were installed on the way
    assert sorted(f.key for f in selectors.forms()) == [
        "leave_request",
        "purchase_request",
        "report_request",
        "seal_request",
    ]
    assert services.install_shipped_forms() == []
