"""Workflow operations: the standard flow through the workflow services, plain and with issue 8's
operations (退回 with 直送, 撤回, 转办), one request at a time. Prints numbers.

    .venv/bin/python bench/workflow_operations.py [--instances 200] [--warmup 10]
    createdb -h 127.0.0.1 -U postgres bench_workflow
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_workflow .venv/bin/python bench/workflow_operations.py

Same database handling and set-up as workflow_throughput.py (whose helpers it uses: the database is
flushed first, never point it at real data). Each instance runs the shipped ``standard`` definition
for a bench subject, in the department of the demo item, without an application: this measures the
workflow services a staff request calls, not the application's bookkeeping around them (that is what
workflow_throughput.py adds). Every call is one request's unit of work in its own transaction:
start_instance, complete_task, send_back and withdraw_task lock the instance, load the engine state,
act, save it and sync the task rows; claim_task and transfer_task lock and change the task row only.
Phases run over all instances before the next one starts (as an office works its inbox).

Flows, requests per instance:
  standard (11)   start; 受理, 审查, 决定, 办结, 送达: each claimed, then completed.
  operations (18) start; 受理 claim, complete; 审查 claim, complete, 撤回 by its reviewer while 决定 is
                  unclaimed, complete again; 决定 claimed, 转办 to a second approver, who completes
                  it; 办结 claimed, 退回 to 审查 with 直送; 审查 claim, complete (直送: straight back
                  to 办结, 决定 recorded as 直送跳过); 办结 claim, complete; 送达 claim, complete.

Printed per flow: completed instances/s and requests/s over the timed part, p50/p95/p99 per request
(all of them, and per operation), the stored engine state per instance (bytes of
ProcessInstance.state, UTF-8, mean and max) after each phase and at the end, and the spec size.
``--warmup`` instances of each flow run first, untimed and left out of the numbers. At the end it
checks every instance completed, and in the operations flow one 转办 and one 直送跳过 per instance.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

# Sets up Django (settings, the throw-away database) before anything of the project is imported.
from workflow_throughput import MEDIA, instances_of, latency, prepare, spec_size, state_sizes

# isort: split
from django.db import connection

from tongban.workflow import services
from tongban.workflow.models import TaskOperation, WorkTask  # bench only: the final check
from tongban.workflow.types import Completion


@dataclass
class Case:
    """One bench instance: its subject, the task being worked on and the step last completed."""

    subject: str
    task_id: uuid.UUID | None = None
    done_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Phase:
    label: str  # printed
    operation: str  # latency grouped by this
    run: Callable[[Case, dict[str, int]], None]  # exactly one service call


# (step, role, action, label, data for the engine), as in the application's handling.
STEPS = {
    "accept": ("clerk", "accept", "受理", {"accepted": True}),
    "review": ("reviewer", "pass", "审查通过", {}),
    "decide": ("approver", "approve", "准予", {"approved": True}),
    "close": ("clerk", "close", "办结", {}),
    "deliver": ("clerk", "deliver", "送达", {}),
}


def _opened(case: Case, completion: Completion, step: str | None) -> None:
    """Remember the task the call opened, checking it is the expected step (None: the end)."""
    if step is None:
        assert completion.finished, f"{case.subject}: did not end"
        assert not completion.opened, f"{case.subject}: opened tasks at the end"
        case.task_id = None
        return
    [task] = completion.opened
    assert task.step == step, f"{case.subject}: {task.step} opened, {step} expected"
    case.task_id = task.id


def start(department_id: int) -> Callable[[Case, dict[str, int]], None]:
    def run(case: Case, staff: dict[str, int]) -> None:
        completion = services.start_instance(
            definition_key="standard",
            subject=case.subject,
            department_id=department_id,
            data={"number": case.subject, "item_code": "bench"},
        )
        _opened(case, completion, "accept")

    return run


def claim(by: str) -> Callable[[Case, dict[str, int]], None]:
    def run(case: Case, staff: dict[str, int]) -> None:
        assert case.task_id
        services.claim_task(task_id=case.task_id, user_id=staff[by])

    return run


def complete(step: str, then: str | None, *, by: str = "") -> Callable[[Case, dict[str, int]], None]:
    role, action, label, data = STEPS[step]

    def run(case: Case, staff: dict[str, int]) -> None:
        assert case.task_id
        completion = services.complete_task(
            task_id=case.task_id,
            user_id=staff[by or role],
            action=action,
            action_label=label,
            opinion="同意",
            data=dict(data),
        )
        case.done_id = case.task_id
        _opened(case, completion, then)

    return run


def withdraw(step: str) -> Callable[[Case, dict[str, int]], None]:
    def run(case: Case, staff: dict[str, int]) -> None:
        assert case.done_id
        _opened(case, services.withdraw_task(task_id=case.done_id, user_id=staff[STEPS[step][0]]), step)

    return run


def transfer(case: Case, staff: dict[str, int]) -> None:
    assert case.task_id
    services.transfer_task(
        task_id=case.task_id,
        user_id=staff["approver"],
        to_user_id=staff["approver2"],
        reason="外出，转同岗办理",
    )


def send_back_direct(case: Case, staff: dict[str, int]) -> None:
    assert case.task_id
    completion = services.send_back(
        task_id=case.task_id,
        user_id=staff["clerk"],
        target_element_id="review",
        reason="审查意见未写明依据，请补充",
        direct=True,
    )
    _opened(case, completion, "review")


def standard_phases(department_id: int) -> list[Phase]:
    order = list(STEPS)
    phases = [Phase("start", "start_instance", start(department_id))]
    for step, then in zip(order, [*order[1:], None], strict=True):
        phases.append(Phase(f"{step} claim", "claim_task", claim(STEPS[step][0])))
        phases.append(Phase(f"{step} complete", "complete_task", complete(step, then)))
    return phases


def operations_phases(department_id: int) -> list[Phase]:
    return [
        Phase("start", "start_instance", start(department_id)),
        Phase("accept claim", "claim_task", claim("clerk")),
        Phase("accept complete", "complete_task", complete("accept", "review")),
        Phase("review claim", "claim_task", claim("reviewer")),
        Phase("review complete", "complete_task", complete("review", "decide")),
        Phase("review 撤回", "withdraw_task", withdraw("review")),
        Phase("review complete again", "complete_task", complete("review", "decide")),
        Phase("decide claim", "claim_task", claim("approver")),
        Phase("decide 转办", "transfer_task", transfer),
        Phase("decide complete (2nd approver)", "complete_task", complete("decide", "close", by="approver2")),
        Phase("close claim", "claim_task", claim("clerk")),
        Phase("close 退回 审查 直送", "send_back", send_back_direct),
        Phase("review claim", "claim_task", claim("reviewer")),
        Phase("review complete → 办结 (直送)", "complete_task", complete("review", "close")),
        Phase("close claim", "claim_task", claim("clerk")),
        Phase("close complete", "complete_task", complete("close", "deliver")),
        Phase("deliver claim", "claim_task", claim("clerk")),
        Phase("deliver complete", "complete_task", complete("deliver", None)),
    ]


def run_flow(
    cases: list[Case], staff: dict[str, int], phases: list[Phase], *, timed: bool
) -> tuple[float, dict[str, list[float]], list[tuple[str, float, int]]]:
    """Run each phase over every case; the seconds spent in service calls, each call's ms by
    operation, and (when timed) the state size after each phase (untimed)."""
    by_operation: dict[str, list[float]] = defaultdict(list)
    sizes = []
    spent = 0.0
    subjects = [c.subject for c in cases]
    for phase in phases:
        for case in cases:
            t0 = time.perf_counter()
            phase.run(case, staff)
            ms = (time.perf_counter() - t0) * 1000
            by_operation[phase.operation].append(ms)
            spent += ms / 1000
        if timed:
            mean, biggest = state_sizes(subjects)
            sizes.append((phase.label, mean, biggest))
    return spent, by_operation, sizes


def check_done(subjects: list[str], *, operations: bool) -> None:
    instances = instances_of(subjects)
    assert instances.count() == len(subjects), "instances missing"
    assert set(instances.values_list("status", flat=True)) == {"completed"}, "instances still running"
    if operations:
        tasks = WorkTask.objects.filter(instance__subject__in=subjects)
        assert tasks.filter(action="direct_skip").count() == len(subjects), "直送 skips missing"
        transfers = TaskOperation.objects.filter(task__instance__subject__in=subjects, kind="transfer")
        assert transfers.count() == len(subjects), "转办 missing"


def bench_flow(name: str, phases: list[Phase], staff: dict[str, int], instances: int, warmup: int) -> None:
    warm = [Case(f"bench:{name}:warm:{n}") for n in range(warmup)]
    timed = [Case(f"bench:{name}:{n}") for n in range(instances)]
    run_flow(warm, staff, phases, timed=False)
    spent, by_operation, sizes = run_flow(timed, staff, phases, timed=True)
    subjects = [c.subject for c in timed]
    check_done([c.subject for c in warm] + subjects, operations=name == "operations")
    every = [ms for samples in by_operation.values() for ms in samples]
    print(f"\n== {name} flow: {instances} instances × {len(phases)} requests ({warmup} warm-up untimed)")
    print(
        f"total: {spent:.2f} s in service calls → {instances / spent:.2f} completed instances/s, "
        f"{len(every) / spent:.1f} requests/s"
    )
    print(f"per request (all {len(every)}): {latency(every)}  mean {statistics.fmean(every):.1f} ms")
    for operation, samples in by_operation.items():
        print(f"  {operation:<15} ×{len(samples) // instances}/instance: {latency(samples)}")
    print("stored state per instance after each phase (mean / max bytes):")
    for label, mean, biggest in sizes:
        print(f"  {label:<32} {mean:7.0f} / {biggest}")
    final_mean, final_max = state_sizes(subjects)
    print(
        f"completed: state mean {final_mean:.0f} B max {final_max} B; spec (shared) {spec_size(subjects)} B"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10, help="instances of each flow run first, untimed")
    args = parser.parse_args()
    item, staff = prepare(
        {"clerk": "clerk", "reviewer": "reviewer", "approver": "approver", "approver2": "approver"}
    )
    print(f"database: {connection.vendor}")
    bench_flow("standard", standard_phases(item.department_id), staff, args.instances, args.warmup)
    bench_flow("operations", operations_phases(item.department_id), staff, args.instances, args.warmup)


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(MEDIA, ignore_errors=True)
