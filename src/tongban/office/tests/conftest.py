from pathlib import Path

import pytest
from conftest import make_staff

from tongban.organizations.services import assign_role
from tongban.organizations.tests.factories import DepartmentFactory
from tongban.workflow import services as workflow_services

# The demo city's internal processes (tongban.demo sits above office: read as files, not imported).
DEMO_PROCESSES = Path(__file__).resolve().parents[2] / "demo" / "data" / "processes"
KEYS = ("office_report", "office_leave", "office_seal", "office_purchase")


def model(key: str) -> bytes:
    return (DEMO_PROCESSES / f"{key}.bpmn").read_bytes()


@pytest.fixture
def processes(db):
    return {
        key: workflow_services.install_definition(key=key, data=model(key), family="internal") for key in KEYS
    }


@pytest.fixture
def initiator(department):
    return make_staff("initiator", department, "clerk")


@pytest.fixture
def approver(department):
    """审批人员 of the department, and 部门负责人 of it and of the two departments above it, so one
    person can take every step of the demo processes: 部门负责人 (assignee department_head),
    分管领导 (leader, 1 level up) and 主要领导 (leader, 2 levels up)."""
    user = make_staff("approver", department, "approver")
    leadership = DepartmentFactory(
        name="云州市测试区人民政府", parent=DepartmentFactory(name="云州市人民政府")
    )
    type(leadership).objects.filter(pk=department.pk).update(parent=leadership)  # models stay private
    for department_id in (department.pk, leadership.pk, leadership.parent.pk):
        assign_role(user_id=user.id, department_id=department_id, role="department_head")
    return user


@pytest.fixture
def reviewer(department):
    return make_staff("reviewer", department, "reviewer")


@pytest.fixture
def stranger(other_department):
    return make_staff("stranger", other_department, "approver")
