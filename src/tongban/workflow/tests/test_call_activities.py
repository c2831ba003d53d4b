"""Call activities (父子流程): a published process runs as a child inside the caller's instance;
only the mapped variables cross (``in`` = parent:child, ``out`` = child:parent); the parent waits
for it; the child's steps are tasks of the same instance. Unknown, view-only and recursive calls
are refused at upload."""

import datetime as dt

import pytest
import time_machine
from conftest import make_staff

from tongban.workflow import engine, services
from tongban.workflow.errors import DefinitionError
from tongban.workflow.models import ProcessInstance, WorkTask
from tongban.workflow.selectors import open_tasks_of
from tongban.workflow.tests.bpmn_builders import hr_review, leave_request, timer_then_review
from tongban.workflow.tests.helpers import miwg

pytestmark = pytest.mark.django_db


def _complete(task_id, user, data):
    return services.complete_task(
        task_id=task_id, user_id=user.id, action="pass", action_label="通过", opinion="", data=data
    )


def _data_of(task_id) -> dict:
    row = WorkTask.objects.select_related("instance__definition").get(pk=task_id)
    workflow = engine.load(row.instance.definition.spec, row.instance.state)
    return dict(workflow.get_task_from_id(row.engine_task_id).data)


def test_the_child_runs_in_the_parents_instance_with_only_mapped_data(editor, department):
    clerk = make_staff("clerk", department, "clerk")
    reviewer = make_staff("reviewer", department, "reviewer")
    services.upload_definition(key="hr_review", data=hr_review(), uploaded_by_id=editor.id)
    services.upload_definition(key="leave", data=leave_request(), uploaded_by_id=editor.id)

    [draft] = services.start_instance(
        definition_key="leave", subject="req:1", department_id=department.pk, data={"secret": "内部"}
    ).opened
    [hr] = _complete(draft.id, clerk, {"days": 5, "reason": "探亲"}).opened

    # The child's step is a task of the same instance; it sees only what ``in`` maps.
    assert (hr.name, hr.role) == ("人事审核", "reviewer")
    assert WorkTask.objects.get(pk=hr.id).instance.subject == "req:1"
    assert _data_of(hr.id) == {"days": 5}

    back = _complete(hr.id, reviewer, {"hr_ok": True, "hr_note": "同意"})
    assert "hr_note" not in back.variables
    assert back.variables["hr_approved"] is True
    [file] = back.opened
    # Back in the parent: its own data, plus ``out``'s mapping; nothing else of the child's.
    assert file.name == "归档"
    assert _data_of(file.id) == {"secret": "内部", "days": 5, "reason": "探亲", "hr_approved": True}

    finished = _complete(file.id, clerk, {})
    assert finished.finished
    instance = ProcessInstance.objects.get(subject="req:1")
    final = engine.load(instance.definition.spec, instance.state).data
    assert "hr_note" not in final
    assert "hr_ok" not in final
    assert final["hr_approved"] is True
    assert [t.name for t in WorkTask.objects.filter(instance=instance)] == ["拟稿", "人事审核", "归档"]
    assert open_tasks_of("req:1") == []


def test_the_current_version_of_the_child_is_embedded_when_the_parent_is_published(editor):
    services.upload_definition(key="hr_review", data=hr_review(), uploaded_by_id=editor.id)
    services.upload_definition(key="leave", data=leave_request(), uploaded_by_id=editor.id)
    parent = services.current_definition("leave")
    assert set(engine.step_properties(parent.spec)) >= {"draft", "hr_call", "file", "hr"}
    # A later version of the child reaches the parent when the parent is published again.
    renamed = hr_review().decode().replace('id="hr" name="人事审核"', 'id="hr" name="人事复核"').encode()
    services.upload_definition(key="hr_review", data=renamed, uploaded_by_id=editor.id)
    assert "人事复核" not in services.current_definition("leave").spec
    services.upload_definition(key="leave", data=leave_request(), uploaded_by_id=editor.id)
    republished = services.current_definition("leave")
    assert (republished.version, "人事复核" in republished.spec) == (2, True)
    services.upload_definition(key="leave", data=leave_request(), uploaded_by_id=editor.id)
    assert services.current_definition("leave").version == 2  # nothing new: no new version


def _refusal(data: bytes, editor, key: str = "leave") -> str:
    with pytest.raises(DefinitionError) as refused:
        services.upload_definition(key=key, data=data, uploaded_by_id=editor.id)
    return refused.value.message


def test_a_call_to_an_unknown_process_is_refused(editor):
    assert _refusal(leave_request("nobody"), editor) == (
        "流程元素“人事审核子流程”（hr_call）：被调用的流程“nobody”不存在，请先发布该流程"
    )


def test_a_call_to_a_view_only_process_is_refused(editor):
    services.upload_definition(
        key="drawing", data=miwg("A.1.0"), uploaded_by_id=editor.id, view_only_if_not_runnable=True
    )
    assert _refusal(leave_request("drawing"), editor) == (
        "流程元素“人事审核子流程”（hr_call）：被调用的流程“drawing”仅供查看（不可运行），不能被调用"
    )


def test_a_process_calling_itself_directly_or_through_another_is_refused(editor):
    assert _refusal(leave_request("leave"), editor) == "流程元素“人事审核子流程”（hr_call）：流程不能调用自身"
    services.upload_definition(key="hr_review", data=hr_review(), uploaded_by_id=editor.id)
    services.upload_definition(key="leave", data=leave_request(), uploaded_by_id=editor.id)
    # hr_review v2 calls leave, which calls hr_review: refused.
    assert _refusal(hr_review(calls="leave"), editor, key="hr_review") == (
        "流程元素“again”：被调用的流程“leave”又直接或间接调用了本流程，形成循环调用"
    )
    assert services.current_definition("hr_review").version == 1


def test_a_malformed_data_map_is_refused(editor):
    services.upload_definition(key="hr_review", data=hr_review(), uploaded_by_id=editor.id)
    assert _refusal(leave_request(mapping_in="days:"), editor) == (
        "流程元素“人事审核子流程”（hr_call）：属性 in、out 须写成“变量:变量”的逗号列表，例如 amount:total,reason"
    )


def test_a_timer_in_the_child_fires_through_the_parents_instance(editor, department):
    clerk = make_staff("clerk", department, "clerk")
    services.upload_definition(key="hr_review", data=timer_then_review('"PT1H"'), uploaded_by_id=editor.id)
    services.upload_definition(key="leave", data=leave_request(), uploaded_by_id=editor.id)
    start = dt.datetime(2026, 11, 6, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        [draft] = services.start_instance(
            definition_key="leave", subject="req:1", department_id=department.pk, data={}
        ).opened
        assert _complete(draft.id, clerk, {"days": 2}).opened == []  # the child waits on its timer
    assert ProcessInstance.objects.get(subject="req:1").next_timer_at == start + dt.timedelta(hours=1)
    with time_machine.travel(start + dt.timedelta(hours=1, minutes=1), tick=False):
        assert services.fire_due_timers() == 1
    assert [task.name for task in open_tasks_of("req:1")] == ["审查"]
