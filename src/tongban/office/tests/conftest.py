from pathlib import Path

import pytest
from conftest import make_staff

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
    return make_staff("approver", department, "approver")


@pytest.fixture
def reviewer(department):
    return make_staff("reviewer", department, "reviewer")


@pytest.fixture
def stranger(other_department):
    return make_staff("stranger", other_department, "approver")
