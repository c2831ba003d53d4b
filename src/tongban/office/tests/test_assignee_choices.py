"""发起人自选 on the 发起 page and 审批人自选 on a request's task page: the chosen people (and only
they) get the step; choosing nobody is refused in the error summary, nothing started or completed."""

import pytest
from conftest import make_staff

from tongban.accounts.tests.helpers import login_staff
from tongban.office import services
from tongban.office.models import InternalRequest
from tongban.workflow import selectors as workflow_selectors
from tongban.workflow import services as workflow_services
from tongban.workflow.selectors import open_tasks_of
from tongban.workflow.tests.helpers import chain

SEAL = {"document_name": "合作协议", "seal": "contract", "copies": "2", "purpose": "签约"}


@pytest.fixture
def chosen_process(db):
    services.install_shipped_forms()
    workflow_services.install_definition(
        key="chosen_seal",
        data=chain(
            [
                ("pick", "指定审核", {"role": "approver", "step": "approve", "assignee": "initiator_choice"}),
                (
                    "next",
                    "下一步审批",
                    {"role": "approver", "step": "approve", "assignee": "previous_choice"},
                ),
            ],
            process={"form": "seal_request"},
        ),
        family="internal",
    )


@pytest.fixture
def people(department):
    return {
        name: make_staff(name, department, role)
        for name, role in (("initiator", "clerk"), ("first", "reviewer"), ("second", "approver"))
    }


def _start(client, department, **extra):
    data = SEAL | {"idempotency_key": "k1", "department": str(department.pk)}
    return client.post("/staff/start/chosen_seal/", data | extra)


def test_the_initiator_must_choose_and_the_chosen_get_the_step(chosen_process, people, client, department):
    login_staff(client, people["initiator"])
    page = client.get("/staff/start/chosen_seal/").content.decode()
    assert "“指定审核”环节的办理人" in page

    refused = _start(client, department)
    assert refused.status_code == 400
    assert "请为“指定审核”环节选择办理人" in refused.content.decode()
    assert not InternalRequest.objects.exists()

    assert _start(client, department, assignee_pick=str(people["first"].id)).status_code == 302
    request = InternalRequest.objects.get()
    [task] = open_tasks_of(request.subject)
    assert workflow_selectors.task_for(people["first"].id, task.id) is not None
    assert workflow_selectors.task_for(people["second"].id, task.id) is None


def test_the_handler_chooses_who_handles_the_next_step(chosen_process, people, client, department):
    login_staff(client, people["initiator"])
    _start(client, department, assignee_pick=str(people["first"].id))
    [task] = open_tasks_of(InternalRequest.objects.get().subject)
    login_staff(client, people["first"])
    page = client.get(f"/staff/request-tasks/{task.id}/").content.decode()
    assert "“下一步审批”环节的办理人" in page

    refused = client.post(f"/staff/request-tasks/{task.id}/", {"action": "done", "opinion": "可"})
    assert refused.status_code == 400
    assert "请为“下一步审批”环节选择办理人" in refused.content.decode()
    assert [t.id for t in open_tasks_of(InternalRequest.objects.get().subject)] == [task.id]

    done = client.post(
        f"/staff/request-tasks/{task.id}/",
        {"action": "done", "opinion": "可", "assignee_next": str(people["second"].id)},
    )
    assert done.status_code == 302
    [following] = open_tasks_of(InternalRequest.objects.get().subject)
    assert following.name == "下一步审批"
    assert workflow_selectors.task_for(people["second"].id, following.id) is not None
    assert workflow_selectors.task_for(people["first"].id, following.id) is None
