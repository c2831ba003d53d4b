"""会签 modes (all, any one, in order, ratio) with one rejection each, 加签 before and after me,
减签, and who has and hasn't signed."""

import re
from fractions import Fraction

import pytest
from conftest import make_staff
from django.utils import timezone

from tongban.workflow import countersign, selectors, services
from tongban.workflow.countersign_rules import Mode, outcome, parse_ratio
from tongban.workflow.errors import DefinitionError, TaskConflict, WorkflowError
from tongban.workflow.events import signing_turn
from tongban.workflow.models import Signer, TaskOperation, WorkTask
from tongban.workflow.tests.helpers import joint_decide, standard_with


@pytest.mark.parametrize(
    ("mode", "approvals", "rejections", "total", "expected"),
    [
        (Mode.ALL, 2, 0, 3, None),
        (Mode.ALL, 2, 1, 3, False),  # one rejection rejects 会签 at once
        (Mode.ALL, 3, 0, 3, True),
        (Mode.ANY, 0, 1, 3, False),  # 或签: the first signature decides, either way
        (Mode.ANY, 1, 0, 3, True),
        (Mode.SEQUENTIAL, 1, 1, 3, False),
        (Mode.SEQUENTIAL, 3, 0, 3, True),
        (Mode.RATIO, 2, 1, 3, True),  # 2/3: one rejection out of three still passes
        (Mode.RATIO, 1, 1, 3, None),
        (Mode.RATIO, 1, 2, 3, False),  # two rejections: 2 of 3 can no longer be reached
    ],
)
def test_outcome_of_each_mode(mode, approvals, rejections, total, expected):
    ratio = Fraction(2, 3) if mode == Mode.RATIO else None
    assert outcome(mode, approvals=approvals, rejections=rejections, total=total, ratio=ratio) is expected


@pytest.mark.parametrize("text", ["0", "3/2", "abc", "1/0", "-50%"])
def test_ratio_outside_0_to_1_is_refused(text):
    with pytest.raises(ValueError, match=re.escape(text)):
        parse_ratio(text)


def test_ratio_forms():
    assert parse_ratio("2/3") == Fraction(2, 3)
    assert parse_ratio("60%") == Fraction(3, 5)
    assert parse_ratio("0.5") == Fraction(1, 2)


@pytest.mark.parametrize(
    ("model", "message"),
    [
        (joint_decide("majority"), "属性 countersign 须为"),
        (joint_decide("ratio"), "countersign_ratio"),
        (joint_decide("ratio", "5/4"), "countersign_ratio"),
        (
            standard_with(
                '<camunda:property name="decision" value="approved"/>',
                '<camunda:property name="countersign" value="all"/>',
            ),
            "须用属性 decision",
        ),
        (
            standard_with(
                '<camunda:property name="role" value="clerk"/>',
                '<camunda:property name="role" value="clerk"/><camunda:property name="countersign" value="all"/>',
            ),
            "只有审查（review）、决定（decide）环节可以设为会签",
        ),
    ],
)
def test_bad_countersign_properties_are_refused_at_upload_naming_the_step(db, model, message):
    with pytest.raises(DefinitionError, match=message):
        services.upload_definition(key="joint", data=model, uploaded_by_id=None)  # type: ignore[arg-type]


@pytest.fixture
def people(department):
    return {
        "clerk": make_staff("clerk", department, "clerk"),
        "reviewer": make_staff("reviewer", department, "reviewer"),
        "a1": make_staff("a1", department, "approver"),
        "a2": make_staff("a2", department, "approver"),
        "a3": make_staff("a3", department, "approver"),
    }


def _complete(task_id, user, action="pass", data=None, opinion="同意"):
    return services.complete_task(
        task_id=task_id, user_id=user.id, action=action, action_label=action, opinion=opinion, data=data or {}
    )


def _to_decide(model: bytes, department, people) -> WorkTask:
    services.upload_definition(key="joint", data=model, uploaded_by_id=people["clerk"].id)
    [accept] = services.start_instance(
        definition_key="joint", subject="case:1", department_id=department.pk, data={}
    ).opened
    [review] = _complete(accept.id, people["clerk"], "accept", {"accepted": True}).opened
    [decide] = _complete(review.id, people["reviewer"]).opened
    return WorkTask.objects.get(pk=decide.id)


def _sign(task, user, approve, opinion="同意"):
    return countersign.sign_task(task_id=task.pk, user_id=user.id, approve=approve, opinion=opinion)


def _statuses(task):
    return {s.user_id: s.status for s in selectors.signers_of(task.pk)}


@pytest.mark.django_db
def test_all_mode_one_rejection_rejects_at_once_and_the_rest_need_not_sign(department, people):
    decide = _to_decide(joint_decide("all"), department, people)
    a1, a2, a3 = people["a1"], people["a2"], people["a3"]
    assert _statuses(decide) == {a1.id: "pending", a2.id: "pending", a3.id: "pending"}
    for approver in (a1, a2, a3):  # all three sign at once, in any order
        assert [t.pk for t in selectors.inbox_tasks(approver.id)] == [decide.pk]
    assert _sign(decide, a1, True) is None
    with pytest.raises(WorkflowError, match="不同意时请填写理由"):
        _sign(decide, a2, False, opinion=" ")
    done = _sign(decide, a2, False, opinion="经营范围含前置审批项目")
    assert done is not None
    assert done.variables["approved"] is False
    decide.refresh_from_db()
    assert (decide.status, decide.action, decide.action_label) == ("completed", "deny", "会签未通过")
    assert "同意1人，不同意1人，共3人" in decide.opinion
    assert _statuses(decide) == {a1.id: "approved", a2.id: "rejected", a3.id: "void"}
    assert [t.name for t in done.opened] == ["办结"]
    assert list(selectors.inbox_tasks(a3.id)) == []
    assert {t.pk for t in selectors.done_tasks(a1.id)} == {decide.pk}


@pytest.mark.django_db
def test_all_mode_approves_when_everyone_agrees(department, people):
    decide = _to_decide(joint_decide("all"), department, people)
    assert _sign(decide, people["a2"], True) is None
    assert _sign(decide, people["a1"], True) is None
    done = _sign(decide, people["a3"], True)
    assert done.variables["approved"] is True


@pytest.mark.django_db
def test_any_mode_the_first_signature_decides_even_a_rejection(department, people):
    decide = _to_decide(joint_decide("any"), department, people)
    done = _sign(decide, people["a3"], False, opinion="材料不全")
    assert done.variables["approved"] is False
    assert _statuses(decide)[people["a1"].id] == "void"
    with pytest.raises(TaskConflict, match="已办理或已撤销"):
        _sign(decide, people["a1"], True)


@pytest.mark.django_db
def test_sequential_mode_signs_in_order_and_one_rejection_rejects(department, people):
    decide = _to_decide(joint_decide("sequential"), department, people)
    a1, a2, a3 = people["a1"], people["a2"], people["a3"]
    assert [t.pk for t in selectors.inbox_tasks(a1.id)] == [decide.pk]
    assert list(selectors.inbox_tasks(a2.id)) == []  # not their turn yet
    with pytest.raises(TaskConflict, match="还未轮到您签署"):
        _sign(decide, a2, True)
    assert _sign(decide, a1, True) is None
    assert [t.pk for t in selectors.inbox_tasks(a2.id)] == [decide.pk]
    done = _sign(decide, a2, False, opinion="不符合条件")
    assert done.variables["approved"] is False
    assert _statuses(decide) == {a1.id: "approved", a2.id: "rejected", a3.id: "void"}
    assert [s.user_id for s in selectors.signers_of(decide.pk)] == [a1.id, a2.id, a3.id]


@pytest.mark.django_db
def test_ratio_mode_passes_two_thirds_despite_one_rejection(department, people):
    decide = _to_decide(joint_decide("ratio", "2/3"), department, people)
    assert _sign(decide, people["a1"], False, opinion="建议补充说明") is None
    assert _sign(decide, people["a2"], True) is None
    done = _sign(decide, people["a3"], True)
    assert done.variables["approved"] is True


@pytest.mark.django_db
def test_ratio_mode_rejects_once_the_ratio_cannot_be_reached(department, people):
    decide = _to_decide(joint_decide("ratio", "2/3"), department, people)
    assert _sign(decide, people["a1"], False, opinion="不同意") is None
    done = _sign(decide, people["a2"], False, opinion="不同意")
    assert done.variables["approved"] is False
    assert _statuses(decide)[people["a3"].id] == "void"


@pytest.mark.django_db
def test_a_joint_step_is_signed_not_claimed_or_completed(department, people):
    decide = _to_decide(joint_decide("all"), department, people)
    late = make_staff("late", department, "approver")  # joined after the step opened: not a signer
    assert list(selectors.inbox_tasks(late.id)) == []
    for call in (
        lambda: services.claim_task(task_id=decide.pk, user_id=people["a1"].id),
        lambda: _complete(decide.pk, people["a1"], "approve", {"approved": True}),
    ):
        with pytest.raises(TaskConflict, match="会签环节由各签署人分别签署意见"):
            call()


@pytest.fixture
def review(department, people):
    services.upload_definition(
        key="plain", data=standard_with("决定", "决定"), uploaded_by_id=people["clerk"].id
    )
    [accept] = services.start_instance(
        definition_key="plain", subject="case:2", department_id=department.pk, data={}
    ).opened
    [review] = _complete(accept.id, people["clerk"], "accept", {"accepted": True}).opened
    return WorkTask.objects.get(pk=review.id)


@pytest.mark.django_db
def test_in_a_case_process_only_review_and_decide_take_added_signers(department, people):
    services.upload_definition(
        key="plain", data=standard_with("决定", "决定"), uploaded_by_id=people["clerk"].id
    )
    [accept] = services.start_instance(
        definition_key="plain", subject="case:3", department_id=department.pk, data={}
    ).opened
    with pytest.raises(WorkflowError, match="只有审查、决定环节可以加签"):
        countersign.add_signers(
            task_id=accept.id,
            user_id=people["clerk"].id,
            signer_ids=[people["a1"].id],
            before=True,
            reason="核对",
        )
    assert selectors.signers_of(accept.id) == []


@pytest.mark.django_db
def test_add_signer_before_me_signs_first_then_i_decide(review, people):
    reviewer, a1 = people["reviewer"], people["a1"]
    with pytest.raises(WorkflowError, match="请填写加签说明"):
        countersign.add_signers(
            task_id=review.pk, user_id=reviewer.id, signer_ids=[a1.id], before=True, reason=""
        )
    countersign.add_signers(
        task_id=review.pk, user_id=reviewer.id, signer_ids=[a1.id], before=True, reason="请先核对资质"
    )
    assert [t.pk for t in selectors.inbox_tasks(a1.id)] == [review.pk]
    with pytest.raises(TaskConflict, match="前加签的人员尚未签署"):
        _complete(review.pk, reviewer)
    assert _sign(review, a1, True, opinion="资质属实") is None
    assert list(selectors.inbox_tasks(a1.id)) == []
    done = _complete(review.pk, reviewer)
    assert [t.name for t in done.opened] == ["决定"]
    assert [(s.user_id, s.kind, s.status) for s in selectors.signers_of(review.pk)] == [
        (a1.id, "before", "approved"),
        (reviewer.id, "holder", "approved"),
    ]
    assert [(o.kind, o.to_user_id, o.reason) for o in TaskOperation.objects.filter(task=review)] == [
        ("add_signer", a1.id, "前加签：请先核对资质"),
        ("sign_approve", None, "资质属实"),
    ]


@pytest.mark.django_db
def test_add_signer_after_me_my_decision_waits_and_a_rejection_comes_back_to_me(review, people):
    reviewer, a1 = people["reviewer"], people["a1"]
    countersign.add_signers(
        task_id=review.pk, user_id=reviewer.id, signer_ids=[a1.id], before=False, reason="请分管领导把关"
    )
    assert list(selectors.inbox_tasks(a1.id)) == []  # after me: not before I have decided
    waiting = _complete(review.pk, reviewer, opinion="审查通过")
    assert waiting.deferred
    assert waiting.opened == []
    with pytest.raises(TaskConflict, match="正在等待后加签的人员签署"):
        _complete(review.pk, reviewer)
    assert _sign(review, a1, False, opinion="请补充现场核查记录") is None
    review.refresh_from_db()
    assert (review.status, review.deferred_completion) == ("open", {})
    assert list(selectors.inbox_tasks(a1.id)) == []  # back to me first
    _complete(review.pk, reviewer, opinion="已补充核查记录，审查通过")
    done = _sign(review, a1, True, opinion="同意")
    assert [t.name for t in done.opened] == ["决定"]
    review.refresh_from_db()
    assert (review.status, review.assignee_id, review.opinion) == (
        "completed",
        reviewer.id,
        "已补充核查记录，审查通过",
    )


@pytest.mark.django_db
def test_remove_a_pending_added_signer(review, people):
    reviewer, a1, a2, a3 = people["reviewer"], people["a1"], people["a2"], people["a3"]
    first, second = countersign.add_signers(
        task_id=review.pk, user_id=reviewer.id, signer_ids=[a1.id, a2.id], before=False, reason="请把关"
    )
    assert _complete(review.pk, reviewer).deferred
    assert _sign(review, a1, True) is None
    with pytest.raises(TaskConflict, match="该人员已签署，不能减签"):
        countersign.remove_signer(signer_id=first, user_id=reviewer.id, reason="不需要了")
    with pytest.raises(Exception, match="没有找到可减签的人员"):
        countersign.remove_signer(signer_id=second, user_id=a3.id, reason="不需要了")
    done = countersign.remove_signer(signer_id=second, user_id=reviewer.id, reason="a2出差，无需签署")
    assert [t.name for t in done.opened] == ["决定"]  # the last missing signature was a2's
    assert Signer.objects.get(pk=second).status == "removed"
    assert [s.user_id for s in selectors.signers_of(review.pk)] == [reviewer.id, a1.id]


@pytest.mark.django_db
def test_add_signer_before_me_on_a_joint_step_counts_their_vote(department, people):
    decide = _to_decide(joint_decide("all"), department, people)
    a1, a2, a3, clerk = people["a1"], people["a2"], people["a3"], people["clerk"]
    countersign.add_signers(
        task_id=decide.pk, user_id=a1.id, signer_ids=[clerk.id], before=True, reason="请窗口核对"
    )
    with pytest.raises(TaskConflict, match="还未轮到您签署"):
        _sign(decide, a1, True)
    assert _sign(decide, a2, True) is None
    assert _sign(decide, a3, True) is None
    assert _sign(decide, clerk, True) is None  # four signers now: a1 still missing
    done = _sign(decide, a1, True)
    assert "共4人" in WorkTask.objects.get(pk=decide.pk).opinion
    assert done.variables["approved"] is True


@pytest.mark.django_db
def test_only_staff_of_the_department_not_yet_signing_can_be_added(review, people, other_department):
    outsider = make_staff("outsider", other_department, "approver")
    for wrong in (outsider.id, people["reviewer"].id):
        with pytest.raises(WorkflowError, match="请选择本部门尚未参与签署的工作人员"):
            countersign.add_signers(
                task_id=review.pk,
                user_id=people["reviewer"].id,
                signer_ids=[wrong],
                before=True,
                reason="请核对",
            )
    with pytest.raises(Exception, match="没有找到该待办"):  # a colleague who does not hold the task
        countersign.add_signers(
            task_id=review.pk,
            user_id=people["a1"].id,
            signer_ids=[people["a2"].id],
            before=True,
            reason="请核对",
        )


@pytest.mark.django_db
def test_pending_signers_block_transfer_and_send_back(review, people):
    reviewer, a1 = people["reviewer"], people["a1"]
    countersign.add_signers(
        task_id=review.pk, user_id=reviewer.id, signer_ids=[a1.id], before=True, reason="请核对"
    )
    with pytest.raises(TaskConflict, match="加签人尚未签署完毕"):
        services.send_back(
            task_id=review.pk, user_id=reviewer.id, target_element_id="accept", reason="材料有误"
        )


@pytest.mark.django_db
def test_an_agent_signs_for_an_away_signer_and_both_are_recorded(department, people):
    decide = _to_decide(joint_decide("sequential"), department, people)
    a1, a2 = people["a1"], people["a2"]
    agent = make_staff("agent", department, "clerk")
    today = timezone.localdate()
    services.set_out_of_office(user_id=a1.id, agent_id=agent.id, starts_on=today, ends_on=today)
    assert [t.pk for t in selectors.inbox_tasks(agent.id)] == [decide.pk]
    assert _sign(decide, agent, True, opinion="同意（代签）") is None
    [first, *_rest] = selectors.signers_of(decide.pk)
    assert (first.user_id, first.status, first.signed_by_id) == (a1.id, "approved", agent.id)
    op = TaskOperation.objects.get(task=decide, kind="sign_approve")
    assert (op.actor_id, op.from_user_id) == (agent.id, a1.id)
    assert list(selectors.inbox_tasks(agent.id)) == []  # a2's turn is not theirs to take
    with pytest.raises(Exception, match="没有找到该待办"):
        _sign(decide, agent, True)
    line = next(r for r in selectors.process_record("case:1") if r.name == "决定（会签人）")
    assert (line.assignee_id, line.action_label) == (agent.id, "同意（代理）")
    assert [t.pk for t in selectors.inbox_tasks(a2.id)] == [decide.pk]


@pytest.fixture
def turns():
    """Every signing_turn sent, as (recipients, step)."""
    sent = []

    def capture(sender, *, recipient_ids, step, **kwargs):
        sent.append((recipient_ids, step))

    signing_turn.connect(capture)
    yield sent
    signing_turn.disconnect(capture)


@pytest.mark.django_db
def test_each_signer_is_told_when_their_turn_comes(
    department, people, turns, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decide = _to_decide(joint_decide("sequential"), department, people)
    a1, a2, a3 = people["a1"], people["a2"], people["a3"]
    assert turns == [([a1.id], "决定")]  # 依次: only the first is asked
    with django_capture_on_commit_callbacks(execute=True):
        _sign(decide, a1, True)
    assert turns[-1] == ([a2.id], "决定")
    with django_capture_on_commit_callbacks(execute=True):
        countersign.add_signers(
            task_id=decide.pk, user_id=a2.id, signer_ids=[people["clerk"].id], before=True, reason="请核对"
        )
    assert turns[-1] == ([people["clerk"].id], "决定")
    with django_capture_on_commit_callbacks(execute=True):
        _sign(decide, people["clerk"], False, opinion="不符合")  # 依次: one 不同意 ends it; nobody else asked
    assert len(turns) == 3
    assert a3.id not in [u for recipients, _step in turns for u in recipients]


@pytest.mark.django_db
def test_review_can_be_withdrawn_until_someone_signs_the_joint_step(department, people):
    decide = _to_decide(joint_decide("all"), department, people)
    review = WorkTask.objects.get(instance=decide.instance, element_id="review")
    [review_again] = services.withdraw_task(task_id=review.pk, user_id=people["reviewer"].id).opened
    assert _statuses(decide) == {people[a].id: "void" for a in ("a1", "a2", "a3")}  # nobody asked now
    [decide] = _complete(review_again.id, people["reviewer"]).opened
    decide = WorkTask.objects.get(pk=decide.id)
    _sign(decide, people["a1"], True)
    review = WorkTask.objects.filter(instance=decide.instance, element_id="review", status="completed").last()
    with pytest.raises(TaskConflict, match="下一环节已签收或办理"):
        services.withdraw_task(task_id=review.pk, user_id=people["reviewer"].id)


@pytest.mark.django_db
def test_a_joint_step_has_no_handler_to_reset(department, people):
    decide = _to_decide(joint_decide("all"), department, people)
    admin = make_staff("admin", department, "department_admin")
    with pytest.raises(TaskConflict, match="会签环节由各签署人分别签署意见"):
        services.reassign_task(
            task_id=decide.pk, admin_id=admin.id, to_user_id=people["a1"].id, reason="调整"
        )
