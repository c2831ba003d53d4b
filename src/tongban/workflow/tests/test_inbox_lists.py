"""待办 and 已办 lists leave each instance's engine state (about 4 KB) in the database."""

import pytest
from conftest import make_staff

from tongban.workflow import selectors, services

pytestmark = pytest.mark.django_db


def test_the_inbox_and_done_lists_do_not_load_engine_state(department):
    services.install_shipped_definitions()
    clerk = make_staff("clerk", department, "clerk")
    for n in (1, 2):
        services.start_instance(
            definition_key="standard", subject=f"application:{n}", department_id=department.pk, data={}
        )
    inbox = list(selectors.inbox_tasks(clerk.id))
    assert [t.instance.subject for t in inbox] == ["application:1", "application:2"]
    assert all("state" in t.instance.get_deferred_fields() for t in inbox)

    services.complete_task(
        task_id=inbox[0].id,
        user_id=clerk.id,
        action="accept",
        action_label="受理",
        opinion="",
        data={"accepted": True},
    )
    [done] = selectors.done_tasks(clerk.id)
    assert "state" in done.instance.get_deferred_fields()
