"""Process families: a definition installed as internal is listed with its process-level properties;
the inbox filters by family; 撤销 of an untouched instance, refused once someone acted."""

import pytest
from conftest import make_staff

from tongban.workflow import selectors, services
from tongban.workflow.errors import DefinitionError, TaskConflict
from tongban.workflow.tests.helpers import shipped

PROCESS_PROPERTIES = (
    '<bpmn:extensionElements><camunda:properties><camunda:property name="form" value="leave_request"/>'
    '<camunda:property name="starters" value="clerk,approver"/></camunda:properties></bpmn:extensionElements>'
)


def _internal_model() -> bytes:
    """The shipped standard model with process-level properties (its tasks keep theirs)."""
    text = shipped("standard").decode()
    head, sep, rest = text.partition('isExecutable="true">')
    assert sep
    return (head + sep + PROCESS_PROPERTIES + rest).encode()


def test_an_internal_definition_is_listed_with_its_process_properties_only(db):
    definition_id = services.install_definition(key="leave", data=_internal_model(), family="internal")
    assert (
        services.install_definition(key="leave", data=_internal_model(), family="internal") == definition_id
    )
    [process] = selectors.published_processes("internal")
    assert (process.key, process.version, process.family) == ("leave", 1, "internal")
    # Only the <bpmn:process>'s own properties: not its tasks' role or step.
    assert process.properties == {"form": "leave_request", "starters": "clerk,approver"}
    assert selectors.published_processes("application") == []
    assert selectors.published_process("leave") == process


def test_an_unknown_family_is_refused(db):
    with pytest.raises(DefinitionError):
        services.install_definition(key="x", data=_internal_model(), family="memo")


def test_the_inbox_filters_by_family(department):
    clerk = make_staff("family_clerk", department, "clerk")
    services.install_definition(key="leave", data=_internal_model(), family="internal")
    services.start_instance(definition_key="leave", subject="request:1", department_id=department.pk, data={})
    services.start_instance(
        definition_key="standard", subject="application:1", department_id=department.pk, data={}
    )

    def subjects(family):
        return sorted(t.instance.subject for t in selectors.inbox_tasks(clerk.id, family=family))

    assert subjects(None) == ["application:1", "request:1"]
    assert subjects("internal") == ["request:1"]
    assert subjects("application") == ["application:1"]


def test_an_untouched_instance_is_cancelled_and_a_claimed_one_is_not(department):
    clerk = make_staff("family_clerk", department, "clerk")
    for subject in ("request:1", "request:2"):
        services.start_instance(
            definition_key="standard", subject=subject, department_id=department.pk, data={}
        )
    services.cancel_untouched_instance(subject="request:1", reason="发起人撤销")
    instance = selectors.instance_of("request:1")
    assert (instance.status, instance.status_reason) == ("terminated", "发起人撤销")
    assert selectors.open_tasks_of("request:1") == []
    [task] = selectors.open_tasks_of("request:2")
    services.claim_task(task_id=task.id, user_id=clerk.id)
    with pytest.raises(TaskConflict):
        services.cancel_untouched_instance(subject="request:2", reason="")
    assert selectors.instance_of("request:2").status == "running"
    assert [t.id for t in selectors.open_tasks_of("request:2")] == [task.id]
    assert selectors.step_handler_ids(task.id) == {clerk.id}
