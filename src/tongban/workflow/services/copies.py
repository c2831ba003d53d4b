"""抄送: copy a case to colleagues, and mark a copy read."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts.selectors import staff_user_ids
from tongban.workflow.errors import WorkflowError
from tongban.workflow.models import (
    CaseCopy,
)
from tongban.workflow.services.handling import _locked_task


@transaction.atomic
def copy_case(*, task_id: uuid.UUID, user_id: int, to_user_ids: list[int], note: str = "") -> int:
    """抄送/传阅: while handling a task, let other staff read the case (read-only, with a read
    receipt). Returns how many new readers were added; copying to someone twice adds nothing."""
    task = _locked_task(task_id, user_id)
    readers = set(to_user_ids) - {user_id}
    if not readers:
        raise WorkflowError(_("请选择抄送对象"), code="no_readers")
    if len(staff_user_ids(readers)) != len(readers):
        raise WorkflowError(_("只能抄送给工作人员"), code="not_staff")
    added = 0
    for reader in sorted(readers):
        _copy, created = CaseCopy.objects.get_or_create(
            instance_id=task.instance_id,
            to_user_id=reader,
            defaults={"from_user_id": user_id, "note": note.strip()[:500]},
        )
        added += created
    return added


def mark_copy_read(*, subject: str, user_id: int) -> None:
    """The read receipt: the first time a reader opens a case copied to them."""
    CaseCopy.objects.filter(instance__subject=subject, to_user_id=user_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )
