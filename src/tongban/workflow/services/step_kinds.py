"""环节类型: process administrators (department_admin) add a step kind and rename one.

Rules: a code is a new lower-case slug and a name a new one; a kind's application meaning
(受理/审查/决定/办结/送达 or none) is chosen when it is added and never changes afterwards, since
published processes and open tasks rely on it; a built-in kind keeps its meaning in code too."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tongban.core import audit
from tongban.core.lookup_codes import clean_code, clean_name
from tongban.workflow.errors import TaskNotFound, WorkflowError
from tongban.workflow.models import StepKind, StepMeaning
from tongban.workflow.selectors import may_change_shared_process_settings
from tongban.workflow.step_kinds import BUILTIN_KINDS


class StepKindError(WorkflowError):
    """A refused step-kind change; ``field_errors`` puts the message next to its answer."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message, code="invalid")
        self.field_errors = {field: message}


def _refuse_unless_allowed(actor_id: int) -> None:
    if not may_change_shared_process_settings(actor_id):
        raise TaskNotFound(_("没有找到该页面"), code="not_found")


@transaction.atomic
def create_step_kind(*, actor_id: int, code: str, name: str, meaning: str) -> int:
    """A new step kind with its application meaning ("" for none); returns its id."""
    _refuse_unless_allowed(actor_id)
    code = clean_code(
        code,
        what=_("环节类型"),
        in_use=lambda taken: taken in BUILTIN_KINDS or StepKind.objects.filter(code=taken).exists(),
        error=StepKindError,
    )
    clean = clean_name(name, what=_("环节类型"), same_name=StepKind.objects.all(), error=StepKindError)
    if meaning not in ("", *StepMeaning.values):
        raise StepKindError(_("请选择该环节类型在办件流程中的含义"), field="meaning")
    kind = StepKind.objects.create(code=code, name=clean, meaning=meaning)
    audit.record(
        event="step_kind.created", actor_id=actor_id, object_type="step_kind", object_id=kind.pk, reason=code
    )
    return kind.pk


@transaction.atomic
def rename_step_kind(*, actor_id: int, kind_id: int, name: str) -> None:
    """A new name for a step kind; its code and meaning stay."""
    _refuse_unless_allowed(actor_id)
    kind = StepKind.objects.select_for_update().filter(pk=kind_id).first()
    if kind is None:
        raise TaskNotFound(_("没有找到该环节类型"), code="not_found")
    kind.name = clean_name(
        name, what=_("环节类型"), same_name=StepKind.objects.exclude(pk=kind.pk), error=StepKindError
    )
    kind.save(update_fields=["name"])
    audit.record(
        event="step_kind.renamed",
        actor_id=actor_id,
        object_type="step_kind",
        object_id=kind.pk,
        reason=kind.code,
    )
