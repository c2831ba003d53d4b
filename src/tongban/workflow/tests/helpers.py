"""BPMN documents for tests: built from the shipped standard model, or the MIWG reference models."""

from pathlib import Path
from uuid import UUID

from tongban.workflow import services
from tongban.workflow.types import TaskRef

SHIPPED = Path(__file__).resolve().parent.parent / "shipped"
# Copied from ../shared/bpmn-miwg with its README (CC BY 3.0, attribution kept there).
MIWG = Path(__file__).resolve().parent / "bpmn_miwg"


def shipped(key: str) -> bytes:
    return (SHIPPED / f"{key}.bpmn").read_bytes()


def standard_with(old: str, new: str) -> bytes:
    """The shipped standard model with one piece of text replaced (it must occur)."""
    text = shipped("standard").decode()
    assert old in text, old
    return text.replace(old, new, 1).encode()


DECIDE_ROLE = '<camunda:property name="role" value="approver"/>'


def joint_decide(mode: str, ratio: str = "") -> bytes:
    """The standard model whose 决定 step is signed by every approver in the given mode."""
    extra = f'<camunda:property name="countersign" value="{mode}"/>'
    if ratio:
        extra += f'<camunda:property name="countersign_ratio" value="{ratio}"/>'
    return standard_with(DECIDE_ROLE, DECIDE_ROLE + extra)


def miwg(model: str) -> bytes:
    """One of the 21 BPMN MIWG reference models, e.g. ``miwg("A.1.0")``."""
    return (MIWG / f"{model}.bpmn").read_bytes()


def accept_intake(task_id: UUID, user_id: int) -> list[TaskRef]:
    """受理 with ``accepted`` true, as a clerk does it; the tasks that opens."""
    return services.complete_task(
        task_id=task_id,
        user_id=user_id,
        action="accept",
        action_label="受理",
        opinion="",
        data={"accepted": True},
    ).opened
