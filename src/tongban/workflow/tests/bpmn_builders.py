"""Small BPMN models for the timer, timeout and call-activity tests, written out in full so each
test shows what it runs."""

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'id="Definitions_{pid}" targetNamespace="https://tongban.gov.cn/bpmn">\n'
    '<bpmn:process id="{pid}" name="{name}" isExecutable="true">\n'
)
TAIL = "</bpmn:process>\n</bpmn:definitions>\n"


def props(**values: str) -> str:
    inner = "".join(f'<camunda:property name="{k}" value="{v}"/>' for k, v in values.items())
    return (
        f"<bpmn:extensionElements><camunda:properties>{inner}</camunda:properties></bpmn:extensionElements>"
    )


def user_task(element_id: str, name: str, *, incoming: str, outgoing: str, **properties: str) -> str:
    return (
        f'<bpmn:userTask id="{element_id}" name="{name}">{props(**properties)}'
        f"<bpmn:incoming>{incoming}</bpmn:incoming><bpmn:outgoing>{outgoing}</bpmn:outgoing></bpmn:userTask>\n"
    )


def flow(flow_id: str, source: str, target: str, condition: str = "") -> str:
    body = (
        f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{condition}</bpmn:conditionExpression>'
        if condition
        else ""
    )
    return f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}">{body}</bpmn:sequenceFlow>\n'


def document(pid: str, name: str, body: str) -> bytes:
    return (HEAD.format(pid=pid, name=name) + body + TAIL).encode()


def timer_then_review(duration: str = '"PT2H"', *, timer_properties: str = "") -> bytes:
    """start → intermediate timer → 审查 (reviewer) → end."""
    return document(
        "waits",
        "等待后审查",
        '<bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>\n'
        f'<bpmn:intermediateCatchEvent id="wait" name="等待">{timer_properties}'
        "<bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>"
        f"<bpmn:timerEventDefinition><bpmn:timeDuration>{duration}</bpmn:timeDuration>"
        "</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>\n"
        + user_task("review", "审查", incoming="f2", outgoing="f3", role="reviewer", step="review")
        + '<bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>\n'
        + flow("f1", "start", "wait")
        + flow("f2", "wait", "review")
        + flow("f3", "review", "end"),
    )


def boundary_escalation(*, interrupting: bool, duration: str = '"P2D"', working_days: bool = True) -> bytes:
    """start → 审批 (approver) → end, with a boundary timer on 审批 leading to 督办 (supervisor)."""
    timer_props = props(working_days="true") if working_days else ""
    cancel = "true" if interrupting else "false"
    return document(
        "escalates",
        "超时督办",
        '<bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>\n'
        + user_task("approve", "审批", incoming="f1", outgoing="f2", role="approver", step="review")
        + '<bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>\n'
        f'<bpmn:boundaryEvent id="late" name="两个工作日未办" attachedToRef="approve" cancelActivity="{cancel}">'
        f"{timer_props}<bpmn:outgoing>f3</bpmn:outgoing>"
        f"<bpmn:timerEventDefinition><bpmn:timeDuration>{duration}</bpmn:timeDuration>"
        "</bpmn:timerEventDefinition></bpmn:boundaryEvent>\n"
        + user_task("escalation", "督办", incoming="f3", outgoing="f4", role="supervisor", step="review")
        + '<bpmn:endEvent id="escalated_end"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>\n'
        + flow("f1", "start", "approve")
        + flow("f2", "approve", "end")
        + flow("f3", "late", "escalation")
        + flow("f4", "escalation", "escalated_end"),
    )


def approval_with_timeout(
    action: str, *, after_days: str = "0", limit_days: str = "1", **extra: str
) -> bytes:
    """start → 审批 (approver, decision ``approved``, timeout ``action``) → approved? 办理 : end."""
    properties = {
        "role": "approver",
        "step": "decide",
        "decision": "approved",
        "limit_days": limit_days,
        "timeout_action": action,
        "timeout_after_days": after_days,
        **extra,
    }
    return document(
        "times_out",
        "超时审批",
        '<bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>\n'
        + user_task("decide", "审批", incoming="f1", outgoing="f2", **properties)
        + '<bpmn:exclusiveGateway id="ok" default="f4"><bpmn:incoming>f2</bpmn:incoming>'
        "<bpmn:outgoing>f3</bpmn:outgoing><bpmn:outgoing>f4</bpmn:outgoing></bpmn:exclusiveGateway>\n"
        + user_task("handle", "办理", incoming="f3", outgoing="f5", role="clerk", step="review")
        + '<bpmn:endEvent id="denied"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>\n'
        '<bpmn:endEvent id="end"><bpmn:incoming>f5</bpmn:incoming></bpmn:endEvent>\n'
        + flow("f1", "start", "decide")
        + flow("f2", "decide", "ok")
        + flow("f3", "ok", "handle", "approved")
        + flow("f4", "ok", "denied")
        + flow("f5", "handle", "end"),
    )


def hr_review(pid: str = "Process_1", *, calls: str = "") -> bytes:
    """The child: start → 人事审核 (reviewer, decision ``hr_ok``) → end; ``calls`` adds a call
    activity to that key after it (for the recursion tests)."""
    if calls:
        tail = (
            f'<bpmn:callActivity id="again" calledElement="{calls}"><bpmn:incoming>f2</bpmn:incoming>'
            "<bpmn:outgoing>f3</bpmn:outgoing></bpmn:callActivity>\n"
            '<bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>\n'
            + flow("f2", "hr", "again")
            + flow("f3", "again", "end")
        )
    else:
        tail = '<bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>\n' + flow(
            "f2", "hr", "end"
        )
    return document(
        pid,
        "人事审核",
        '<bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>\n'
        + user_task(
            "hr", "人事审核", incoming="f1", outgoing="f2", role="reviewer", step="review", decision="hr_ok"
        )
        + tail
        + flow("f1", "start", "hr"),
    )


def leave_request(
    called: str = "hr_review", *, mapping_in: str = "days", mapping_out: str = "hr_ok:hr_approved"
) -> bytes:
    """The parent: start → 拟稿 (clerk) → call ``called`` → 归档 (clerk) → end."""
    call_props = props(**{"in": mapping_in, "out": mapping_out})
    return document(
        "Process_1",  # the same id as the child's: call activities find the child by key
        "请假",
        '<bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>\n'
        + user_task("draft", "拟稿", incoming="f1", outgoing="f2", role="clerk", step="review")
        + f'<bpmn:callActivity id="hr_call" name="人事审核子流程" calledElement="{called}">{call_props}'
        "<bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:callActivity>\n"
        + user_task("file", "归档", incoming="f3", outgoing="f4", role="clerk", step="review")
        + '<bpmn:endEvent id="end"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>\n'
        + flow("f1", "start", "draft")
        + flow("f2", "draft", "hr_call")
        + flow("f3", "hr_call", "file")
        + flow("f4", "file", "end"),
    )
