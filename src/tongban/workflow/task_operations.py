"""The operations every family's task page offers on an open task: 会签/加签 (sign, add, take back a
signer: the family's own services, since signing may end its process), 转办/委派 and 交回委派人, 抄送/传阅. What the page shows for them (``operations_context``,
rendered by ``workflow/_signers.html`` and ``workflow/_task_operations.html`` with the family's URL
names), and the service call a posted panel makes (``*_call``): the family's view runs the call,
turns a refusal into a ``Refusal`` on its own task page, and adds its own bookkeeping."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

from tongban.accounts.selectors import names_of
from tongban.organizations.selectors import staff_ids_in_department
from tongban.workflow import countersign
from tongban.workflow import selectors as workflow_selectors
from tongban.workflow import services as workflow_services
from tongban.workflow.countersign_rules import MODE_LABELS
from tongban.workflow.types import TaskRef


@dataclass(frozen=True)
class Refusal:
    """Why an operation on the task page was refused: the message, the id of the field it is about (the
    error summary links there and opens its panel) and what was posted (kept in that form)."""

    message: str
    field: str
    values: QueryDict


def _sorted_names(user_ids: set[int], names: dict[int, str]) -> list[tuple[int, str]]:
    return sorted(((user_id, names.get(user_id, "")) for user_id in user_ids), key=lambda pair: pair[1])


def operations_context(task: TaskRef, user_id: int) -> dict[str, object]:
    """Everything the operation panels of an open task need (nothing for a closed one): 会签/加签
    (who signs in which order, whether it is my turn, whom I may add), 转办/委派 (colleagues of the
    step), 交回委派人, and 抄送 (everyone else of the department). The people of every panel are
    named in one query, and the department's staff read once for 加签 and 抄送."""
    if task.status != "open":
        return {}
    signers = workflow_selectors.signers_of(task.id)
    pending = [s for s in signers if s.status == "pending"]
    principals = set(workflow_selectors.principals_of(user_id))  # 代理: sign for them in their turn
    mine = next((s for s in pending if s.user_id == user_id), None) or next(
        (s for s in pending if s.user_id in principals and s.can_sign_now), None
    )
    holder = next((s for s in signers if s.kind == "holder"), None)
    joint = "countersign" in task.properties
    can_add = countersign.may_add_signers_at(task) and (
        (mine is not None and mine.can_sign_now)
        or (not joint and holder is None and task.assignee_id in (None, user_id))
    )
    department_staff = staff_ids_in_department(task.department_id)
    # 加签: staff of the department who are not signing it already (countersign.signer_candidates).
    signing = {s.user_id for s in signers if s.status in countersign.LIVE}
    candidates = department_staff - signing - {user_id} if can_add else set()
    colleagues = set(workflow_services.colleagues_for(task, user_id))
    readers = department_staff - {user_id}
    names = names_of({s.user_id for s in signers} | candidates | colleagues | readers)
    return {
        "signers": [(s, names.get(s.user_id, "")) for s in signers],
        "joint": joint,
        "joint_mode": MODE_LABELS.get(task.properties.get("countersign", ""), ""),  # type: ignore[call-overload]
        "my_turn_to_sign": mine is not None and mine.can_sign_now and mine.kind != "holder",
        "waiting_for_signers": holder is not None and holder.user_id == user_id and not holder.can_sign_now,
        "awaiting_after_signers": holder is not None
        and holder.user_id == user_id
        and holder.status == "approved",
        "signing_not_yet": mine is not None and not mine.can_sign_now and mine.kind != "holder",
        "signer_candidates": _sorted_names(candidates, names),
        "removable_signers": [
            (s, names.get(s.user_id, ""))
            for s in signers
            if s.added_by_id == user_id and s.status == "pending"
        ],
        "colleagues": _sorted_names(colleagues, names),
        "delegated_to_me": bool(task.delegated_by_id) and task.assignee_id == user_id,
        "readers": _sorted_names(readers, names),
    }


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


def add_signers_call(post: QueryDict, *, task_id: uuid.UUID, user_id: int) -> Callable[[], list[int]]:
    """加签: colleagues sign before me (``position`` before), or after me before my decision takes effect."""
    return lambda: countersign.add_signers(
        task_id=task_id,
        user_id=user_id,
        signer_ids=_ids(post.getlist("signers")),
        before=post.get("position") != "after",
        reason=post.get("reason", ""),
    )


def reassign_call(post: QueryDict, *, task_id: uuid.UUID, user_id: int) -> Callable[[], TaskRef]:
    """转办 (``kind`` transfer: the colleague handles it) or 委派 (delegate: they give an opinion, then
    it comes back)."""
    operation: Any = (
        workflow_services.delegate_task if post.get("kind") == "delegate" else workflow_services.transfer_task
    )
    to_user = post.get("to_user", "")
    return lambda: operation(
        task_id=task_id,
        user_id=user_id,
        to_user_id=int(to_user) if to_user.isdigit() else 0,
        reason=post.get("reason", ""),
    )


def delegate_return_call(post: QueryDict, *, task_id: uuid.UUID, user_id: int) -> Callable[[], TaskRef]:
    """The delegate's opinion; the task goes back to whoever delegated it."""
    return lambda: workflow_services.return_delegated_task(
        task_id=task_id, user_id=user_id, opinion=post.get("opinion", "")
    )


def copy_call(post: QueryDict, *, task_id: uuid.UUID, user_id: int) -> Callable[[], int]:
    """抄送/传阅 to colleagues of the department, who may then read the subject (with a read receipt)."""
    return lambda: workflow_services.copy_case(
        task_id=task_id,
        user_id=user_id,
        to_user_ids=_ids(post.getlist("to_users")),
        note=post.get("note", ""),
    )
