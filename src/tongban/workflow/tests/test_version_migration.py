"""版本迁移: running instances move to a new version of their definition where the engine can carry
them over (every step they are at or have done still exists, open steps keep their role), keeping
their open tasks as they were; the others stay on their version, with the reason in the preview."""

import pytest
from conftest import make_staff
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.core.models import AuditEvent
from tongban.workflow import migration, services
from tongban.workflow.errors import TaskNotFound
from tongban.workflow.models import ProcessInstance, WorkTask
from tongban.workflow.tests.helpers import shipped

pytestmark = pytest.mark.django_db

RECHECK = """
    <bpmn:userTask id="recheck" name="复核">
      <bpmn:extensionElements>
        <camunda:properties>
          <camunda:property name="step" value="review"/>
          <camunda:property name="role" value="supervisor"/>
        </camunda:properties>
      </bpmn:extensionElements>
      <bpmn:incoming>f_review_recheck</bpmn:incoming>
      <bpmn:outgoing>f_review_decide</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:userTask id="decide" name="决定">"""


def _edit(text: str, *replacements: tuple[str, str]) -> str:
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def version_two() -> bytes:
    """The standard model with 复核 (recheck) added after 审查 and 办结 (close) removed: 决定 leads
    straight to 送达."""
    text = _edit(
        shipped("standard").decode(),
        ("<bpmn:outgoing>f_review_decide</bpmn:outgoing>", "<bpmn:outgoing>f_review_recheck</bpmn:outgoing>"),
        ('    <bpmn:userTask id="decide" name="决定">', RECHECK),
        (
            '<bpmn:sequenceFlow id="f_review_decide" sourceRef="review"',
            '<bpmn:sequenceFlow id="f_review_recheck" sourceRef="review" targetRef="recheck"/>\n'
            '    <bpmn:sequenceFlow id="f_review_decide" sourceRef="recheck"',
        ),
        ('sourceRef="decide" targetRef="close"', 'sourceRef="decide" targetRef="deliver"'),
        ("<bpmn:incoming>f_close_deliver</bpmn:incoming>", "<bpmn:incoming>f_decide_close</bpmn:incoming>"),
    )
    start, end = text.index('    <bpmn:userTask id="close"'), text.index('    <bpmn:userTask id="deliver"')
    text = text[:start] + text[end:]
    text = _edit(
        text, ('<bpmn:sequenceFlow id="f_close_deliver" sourceRef="close" targetRef="deliver"/>', "")
    )
    return text.encode()


@pytest.fixture
def staff(department):
    return {
        role: make_staff(role, department, role)
        for role in ("clerk", "reviewer", "supervisor", "approver", "department_admin")
    }


@pytest.fixture
def admin(staff):
    return staff["department_admin"]


def _complete(task_id, user, data=None):
    return services.complete_task(
        task_id=task_id, user_id=user.id, action="ok", action_label="通过", opinion="", data=data or {}
    )


def _open(subject):
    return WorkTask.objects.get(instance__subject=subject, status="open")


def _start_at(subject, department, staff, steps):
    """An instance of permit v1 with the first ``steps`` steps done."""
    services.start_instance(definition_key="permit", subject=subject, department_id=department.pk, data={})
    people = [staff["clerk"], staff["reviewer"], staff["approver"], staff["clerk"]]
    for person in people[:steps]:
        _complete(_open(subject).pk, person, {"accepted": True, "approved": True})
    return ProcessInstance.objects.get(subject=subject)


@pytest.fixture
def two_cases(department, staff, admin):
    """case:a waits at 审查 (kept in v2), case:b at 办结 (removed in v2); then v2 is uploaded."""
    services.upload_definition(key="permit", data=shipped("standard"), uploaded_by_id=admin.id)
    at_review = _start_at("case:a", department, staff, 1)
    at_close = _start_at("case:b", department, staff, 3)
    services.upload_definition(key="permit", data=version_two(), uploaded_by_id=admin.id)
    return at_review, at_close


def _snapshot(instance_id):
    instance = ProcessInstance.objects.select_related("definition").get(pk=instance_id)
    return instance.definition.version, instance.revision, instance.state


def _task_snapshot(subject):
    return list(
        WorkTask.objects.filter(instance__subject=subject)
        .order_by("created_at")
        .values_list("pk", "engine_task_id", "element_id", "status", "assignee_id", "claimed_at", "due_date")
    )


REMOVED = "当前环节“办结”(close) 在新版本中不存在"


def test_an_instance_whose_step_remains_moves_keeping_its_task_and_follows_the_new_path(
    two_cases, staff, admin
):
    at_review, _at_close = two_cases
    services.claim_task(task_id=_open("case:a").pk, user_id=staff["reviewer"].id)
    tasks_before = _task_snapshot("case:a")

    report = migration.migrate_instances(
        definition_key="permit", to_version=2, admin_id=admin.id, instance_ids=[at_review.pk]
    )

    assert report == [migration.InstanceMigration(at_review.pk, "case:a", 1, 2, migration.MOVED, [])]
    version, revision, _state = _snapshot(at_review.pk)
    assert (version, revision) == (2, at_review.revision + 1)
    assert _task_snapshot("case:a") == tasks_before
    [event] = AuditEvent.objects.filter(event="workflow.instance_migrated")
    assert (event.actor_id, event.object_id, event.reason) == (admin.id, str(at_review.pk), "permit v1 → v2")
    # The claimed 审查 is completed as it was; then v2's path: 复核 (new), 决定, 送达 (no 办结).
    opened = _complete(_open("case:a").pk, staff["reviewer"]).opened
    assert [(t.element_id, t.role) for t in opened] == [("recheck", "supervisor")]
    assert [t.element_id for t in _complete(opened[0].id, staff["supervisor"]).opened] == ["decide"]
    assert [
        t.element_id for t in _complete(_open("case:a").pk, staff["approver"], {"approved": True}).opened
    ] == ["deliver"]
    assert _complete(_open("case:a").pk, staff["clerk"]).finished


def test_an_instance_whose_current_step_was_removed_stays_on_its_version_and_finishes_there(
    two_cases, staff, admin
):
    _at_review, at_close = two_cases
    before = _snapshot(at_close.pk)

    report = migration.migrate_instances(
        definition_key="permit", to_version=2, admin_id=admin.id, instance_ids=[at_close.pk]
    )

    assert report == [migration.InstanceMigration(at_close.pk, "case:b", 1, 2, migration.REFUSED, [REMOVED])]
    assert _snapshot(at_close.pk) == before
    assert not AuditEvent.objects.filter(event="workflow.instance_migrated").exists()
    assert [t.element_id for t in _complete(_open("case:b").pk, staff["clerk"]).opened] == ["deliver"]
    assert _complete(_open("case:b").pk, staff["clerk"]).finished


def test_the_dry_run_lists_who_can_move_and_why_not_and_changes_nothing(two_cases, admin):
    at_review, at_close = two_cases
    before = [_snapshot(at_review.pk), _snapshot(at_close.pk)]

    report = migration.plan_migration(definition_key="permit", to_version=2, admin_id=admin.id)

    assert report == [
        migration.InstanceMigration(at_review.pk, "case:a", 1, 2, migration.MOVABLE, []),
        migration.InstanceMigration(at_close.pk, "case:b", 1, 2, migration.REFUSED, [REMOVED]),
    ]
    assert [_snapshot(at_review.pk), _snapshot(at_close.pk)] == before
    assert not AuditEvent.objects.filter(event="workflow.instance_migrated").exists()


def test_a_removed_step_already_done_or_a_changed_role_of_the_open_step_is_refused(department, staff, admin):
    services.upload_definition(key="permit", data=shipped("standard"), uploaded_by_id=admin.id)
    at_review = _start_at("case:r", department, staff, 1)
    at_deliver = _start_at("case:d", department, staff, 4)
    services.upload_definition(key="permit", data=version_two(), uploaded_by_id=admin.id)
    role_changed = _edit(
        shipped("standard").decode(),
        (
            '<camunda:property name="role" value="reviewer"/>',
            '<camunda:property name="role" value="supervisor"/>',
        ),
    )
    services.upload_definition(key="permit", data=role_changed.encode(), uploaded_by_id=admin.id)

    to_two = migration.plan_migration(definition_key="permit", to_version=2, admin_id=admin.id)
    to_three = migration.plan_migration(definition_key="permit", to_version=3, admin_id=admin.id)

    assert [(r.subject, r.outcome, r.reasons) for r in to_two] == [
        ("case:r", migration.MOVABLE, []),
        ("case:d", migration.REFUSED, ["已办环节“办结”(close) 在新版本中不存在，办理记录无法对应"]),
    ]
    assert [(r.subject, r.outcome, r.reasons) for r in to_three] == [
        ("case:r", migration.REFUSED, ["当前环节“审查”(review) 的办理角色在新版本中已改变"]),
        ("case:d", migration.MOVABLE, []),
    ]
    assert at_review.pk != at_deliver.pk


def test_parallel_branches_in_progress_that_changed_are_refused(department, staff, admin):
    fire = """<bpmn:userTask id="fire_decide" name="消防备案">
      <bpmn:extensionElements><camunda:properties>
        <camunda:property name="step" value="decide"/><camunda:property name="role" value="approver"/>
      </camunda:properties></bpmn:extensionElements>
      <bpmn:incoming>f_split_fire</bpmn:incoming>
      <bpmn:outgoing>f_fire_join</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f_split_fire" sourceRef="split" targetRef="fire_decide"/>
    <bpmn:sequenceFlow id="f_fire_join" sourceRef="fire_decide" targetRef="join"/>
    <bpmn:parallelGateway id="join" name="汇总">
      <bpmn:incoming>f_fire_join</bpmn:incoming>"""
    with_fire = _edit(
        shipped("joint_startup").decode(),
        (
            "<bpmn:outgoing>f_split_seal</bpmn:outgoing>",
            "<bpmn:outgoing>f_split_seal</bpmn:outgoing><bpmn:outgoing>f_split_fire</bpmn:outgoing>",
        ),
        ('    <bpmn:parallelGateway id="join" name="汇总">', fire),
    )
    services.upload_definition(key="joint", data=shipped("joint_startup"), uploaded_by_id=admin.id)
    services.start_instance(definition_key="joint", subject="case:p", department_id=department.pk, data={})
    services.start_instance(definition_key="joint", subject="case:q", department_id=department.pk, data={})
    parallel = _complete(_open("case:p").pk, staff["clerk"], {"accepted": True}).opened
    _complete(
        next(t.id for t in parallel if t.element_id == "market_decide"),
        staff["approver"],
        {"market_ok": True},
    )
    services.upload_definition(key="joint", data=with_fire.encode(), uploaded_by_id=admin.id)

    report = migration.migrate_instances(definition_key="joint", to_version=2, admin_id=admin.id)

    assert [(r.subject, r.outcome) for r in report] == [
        ("case:p", migration.REFUSED),
        ("case:q", migration.MOVED),
    ]
    assert set(report[0].reasons) == {
        "并联环节“并联审批”(split) 的分支在新版本中已改变，正在办理的并联审批不能迁移",
        "并联环节“汇总”(join) 的分支在新版本中已改变，正在办理的并联审批不能迁移",
    }
    # case:q was still at 受理: it now starts all five branches.
    opened = _complete(_open("case:q").pk, staff["clerk"], {"accepted": True}).opened
    assert len(opened) == 5
    assert "fire_decide" in {t.element_id for t in opened}


def test_only_administrators_of_the_instance_department_may_migrate(two_cases, staff, other_department):
    at_review, at_close = two_cases
    outsider = make_staff("outsider", other_department, "department_admin")
    before = [_snapshot(at_review.pk), _snapshot(at_close.pk)]

    with pytest.raises(TaskNotFound):
        migration.plan_migration(definition_key="permit", to_version=2, admin_id=staff["clerk"].id)
    with pytest.raises(TaskNotFound):
        migration.migrate_instances(definition_key="permit", to_version=2, admin_id=staff["clerk"].id)
    assert migration.plan_migration(definition_key="permit", to_version=2, admin_id=outsider.id) == []
    with pytest.raises(TaskNotFound):
        migration.migrate_instances(
            definition_key="permit", to_version=2, admin_id=outsider.id, instance_ids=[at_review.pk]
        )
    assert migration.migrate_instances(definition_key="permit", to_version=2, admin_id=outsider.id) == []
    assert [_snapshot(at_review.pk), _snapshot(at_close.pk)] == before


def test_a_second_run_reports_the_moved_instance_as_already_there(two_cases, admin):
    at_review, at_close = two_cases
    migration.migrate_instances(definition_key="permit", to_version=2, admin_id=admin.id)
    after_first = [_snapshot(at_review.pk), _snapshot(at_close.pk)]

    again = migration.migrate_instances(definition_key="permit", to_version=2, admin_id=admin.id)

    assert [(r.subject, r.from_version, r.outcome) for r in again] == [
        ("case:a", 2, migration.CURRENT),
        ("case:b", 1, migration.REFUSED),
    ]
    assert [_snapshot(at_review.pk), _snapshot(at_close.pk)] == after_first
    assert AuditEvent.objects.filter(event="workflow.instance_migrated").count() == 1


def test_the_migration_page_previews_both_and_moves_only_the_movable(client, two_cases, staff, admin):
    at_review, at_close = two_cases
    url = reverse("workflow:monitor_migration")
    login_staff(client, staff["clerk"])
    assert client.get(url, {"definition": "permit", "version": "2"}).status_code == 404
    login_staff(client, admin)

    page = client.get(url, {"definition": "permit", "version": "2"}).content.decode()

    assert '<th scope="row">case:a</th>' in page
    assert '<th scope="row">case:b</th>' in page
    assert page.count(">可迁移<") == 1
    assert page.count(">不可迁移<") == 1
    assert REMOVED in page
    assert "迁移可迁移的实例（1 个）" in page
    assert (_snapshot(at_review.pk)[0], _snapshot(at_close.pk)[0]) == (1, 1)

    response = client.post(url, {"definition": "permit", "version": "2"})

    assert response.status_code == 302
    assert response["Location"] == f"{url}?definition=permit&version=2"
    assert (_snapshot(at_review.pk)[0], _snapshot(at_close.pk)[0]) == (2, 1)
    page = client.get(response["Location"]).content.decode()
    assert "已迁移 1 个实例，1 个不可迁移，仍在原版本" in page
    assert "已是目标版本" in page


def test_the_migration_page_names_a_missing_version(client, two_cases, admin):
    login_staff(client, admin)

    response = client.get(reverse("workflow:monitor_migration"), {"definition": "permit", "version": "9"})

    assert response.status_code == 400
    assert "流程“permit”没有第9版" in response.content.decode()
    assert "迁移可迁移的实例" not in response.content.decode()
