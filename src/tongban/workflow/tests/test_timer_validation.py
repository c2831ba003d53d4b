"""Upload accepts the timers the platform fires and the timeout actions that make sense on a
step, and refuses the others with the reason (and nothing is stored)."""

import pytest

from tongban.workflow import services
from tongban.workflow.errors import DefinitionError
from tongban.workflow.models import ProcessDefinition
from tongban.workflow.tests.bpmn_builders import (
    approval_with_timeout,
    boundary_escalation,
    document,
    props,
    timer_then_review,
)

pytestmark = pytest.mark.django_db
WAIT = "流程元素“等待”（wait）："


def _refusal(data: bytes, editor) -> str:
    with pytest.raises(DefinitionError) as refused:
        services.upload_definition(key="checked", data=data, uploaded_by_id=editor.id)
    assert not ProcessDefinition.objects.filter(key="checked").exists()
    return refused.value.message


@pytest.mark.parametrize(
    "data",
    [
        timer_then_review('"PT2H"'),
        timer_then_review('"P3D"', timer_properties=props(working_days="true")),
        timer_then_review('"2026-12-01T09:00:00+08:00"').replace(b"timeDuration", b"timeDate"),
        timer_then_review("due_at"),  # a variable holding an ISO duration, read when the timer starts
        boundary_escalation(interrupting=True),
        boundary_escalation(interrupting=False, working_days=False),
        approval_with_timeout("approve"),
        approval_with_timeout("reject", after_days="2"),
        approval_with_timeout("escalate", after_days="1"),
        approval_with_timeout("remind"),
    ],
)
def test_timers_and_timeouts_the_platform_runs_are_accepted(data, editor):
    services.upload_definition(key="checked", data=data, uploaded_by_id=editor.id)
    assert ProcessDefinition.objects.get(key="checked").is_runnable


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            timer_then_review('"R3/PT1H"').replace(b"timeDuration", b"timeCycle"),
            "平台不支持循环定时器（timeCycle），请改用定时时长（timeDuration）",
        ),
        (timer_then_review('"soon"'), '定时时长“soon”不是ISO 8601时长，例如 "P2D"、"PT4H"'),
        (
            timer_then_review('"2026-12-01T09:00:00"').replace(b"timeDuration", b"timeDate"),
            '定时日期“2026-12-01T09:00:00”须为带时区的ISO 8601时间，例如 "2026-12-01T09:00:00+08:00"',
        ),
        (
            timer_then_review('"P1M"', timer_properties=props(working_days="true")),
            "按工作日计算的定时时长只能用天、周和时分秒（P2D、P1W、PT4H），不能用年和月",
        ),
        (
            timer_then_review('"P1D"', timer_properties=props(working_days="yes")),
            "属性 working_days 须为 true 或 false",
        ),
        (
            timer_then_review(
                '"2026-12-01T09:00:00+08:00"', timer_properties=props(working_days="true")
            ).replace(b"timeDuration", b"timeDate"),
            "属性 working_days 只用于定时时长（timeDuration）",
        ),
    ],
)
def test_timers_the_platform_cannot_fire_are_refused(data, reason, editor):
    assert _refusal(data, editor) == WAIT + reason


def test_a_timer_start_event_is_refused(editor):
    data = document(
        "clock",
        "定时启动",
        '<bpmn:startEvent id="start" name="每天"><bpmn:outgoing>f1</bpmn:outgoing><bpmn:timerEventDefinition>'
        '<bpmn:timeDuration>"P1D"</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>'
        '<bpmn:userTask id="t" name="办理">'
        + props(role="clerk", step="review")
        + "<bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>"
        '<bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>'
        '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="t"/><bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="end"/>',
    )
    assert _refusal(data, editor) == (
        "流程元素“每天”（start）：定时开始事件不会触发：流程随办件或申请启动，请改用中间定时事件或边界定时事件"
    )


DECIDE = "流程元素“审批”（decide）："


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (approval_with_timeout("later"), "属性 timeout_action 须为 remind、escalate、approve、reject 之一"),
        (
            approval_with_timeout("approve", after_days="two"),
            "属性 timeout_after_days 须为工作日天数（非负整数）",
        ),
        (
            approval_with_timeout("approve", decision=""),
            "超时自动通过或不通过须用属性 decision 指定保存审批结果的变量",
        ),
        (
            approval_with_timeout("approve", step="accept"),
            "受理、办结环节不能超时自动通过或不通过：受理须由人决定是否受理，办结决定办件结果",
        ),
        (
            approval_with_timeout("reject", step="close"),
            "受理、办结环节不能超时自动通过或不通过：受理须由人决定是否受理，办结决定办件结果",
        ),
        (
            approval_with_timeout("reject", countersign="all"),
            "会签环节由各签署人分别签署，不能超时自动通过或不通过",
        ),
        (
            approval_with_timeout("remind", after_days="2"),
            "超时提醒在环节超期的第一个工作日发出，不能设置 timeout_after_days；需要延后时请用 escalate",
        ),
    ],
)
def test_timeout_actions_that_make_no_sense_on_the_step_are_refused(data, reason, editor):
    assert _refusal(data, editor) == DECIDE + reason
