"""代理 (out-of-office): the agent sees and handles the absent colleague's tasks during the period,
marked as done on their behalf; before and after it, the agent sees nothing of theirs."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from conftest import make_staff

from tongban.workflow import selectors, services
from tongban.workflow.errors import TaskNotFound, WorkflowError
from tongban.workflow.models import WorkTask

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(day: int):
    return time_machine.travel(dt.datetime(2026, 12, day, 10, 0, tzinfo=SHANGHAI), tick=False)


def test_the_agent_handles_the_colleagues_tasks_only_during_the_period(department, other_department):
    clerk = make_staff("clerk", department, "clerk")
    agent = make_staff("agent", other_department, "clerk")  # not a clerk of this department
    with _at(1):
        [accept] = services.start_instance(
            definition_key="standard", subject="case:1", department_id=department.pk, data={}
        ).opened
        services.set_out_of_office(
            user_id=clerk.id, agent_id=agent.id, starts_on=dt.date(2026, 12, 3), ends_on=dt.date(2026, 12, 4)
        )
        assert list(selectors.inbox_tasks(agent.id)) == []  # not started yet
    with _at(5):
        assert list(selectors.inbox_tasks(agent.id)) == []  # ended by itself
        with pytest.raises(TaskNotFound):
            services.claim_task(task_id=accept.id, user_id=agent.id)
    with _at(3):
        assert [t.pk for t in selectors.inbox_tasks(agent.id)] == [accept.id]
        assert [t.pk for t in selectors.inbox_tasks(clerk.id)] == [accept.id]  # both see it
        services.complete_task(
            task_id=accept.id,
            user_id=agent.id,
            action="accept",
            action_label="受理",
            opinion="",
            data={"accepted": True},
        )
    row = WorkTask.objects.get(pk=accept.id)
    assert (row.assignee_id, row.on_behalf_of_id) == (agent.id, clerk.id)


def test_the_period_must_make_sense(department):
    clerk = make_staff("clerk", department, "clerk")
    agent = make_staff("agent", department, "clerk")
    with _at(10):
        with pytest.raises(WorkflowError, match="结束日期不能早于开始日期"):
            services.set_out_of_office(
                user_id=clerk.id,
                agent_id=agent.id,
                starts_on=dt.date(2026, 12, 12),
                ends_on=dt.date(2026, 12, 11),
            )
        with pytest.raises(WorkflowError, match="请选择一位同事作为代理人"):
            services.set_out_of_office(
                user_id=clerk.id,
                agent_id=clerk.id,
                starts_on=dt.date(2026, 12, 11),
                ends_on=dt.date(2026, 12, 12),
            )
