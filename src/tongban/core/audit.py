"""The audit log (T-J2): every view of someone's personal data and every refused access, with who,
whose, what, from where and when. Rows are only ever added; nothing in the platform edits or
deletes them (the tamper-evident chain of T-J1 is not built yet)."""

from __future__ import annotations

from django.http import HttpRequest

from tongban.core.models import AuditEvent, AuditResult
from tongban.core.views import client_ip


def record(
    *,
    event: str,
    actor_id: int | None,
    object_type: str,
    object_id: object,
    subject_id: int | None = None,
    denied: bool = False,
    reason: str = "",
    ip: str | None = None,
) -> None:
    """Add one audit row. ``subject_id`` is the person whose data was seen; ``denied`` marks a
    refused attempt."""
    AuditEvent.objects.create(
        event=event,
        actor_id=actor_id,
        object_type=object_type,
        object_id=str(object_id)[:64],
        subject_id=subject_id,
        result=AuditResult.DENIED if denied else AuditResult.OK,
        reason=reason[:200],
        ip=ip or None,
    )


def record_request(request: HttpRequest, **fields: object) -> None:
    """``record`` for a view: the actor and address come from the request."""
    user = getattr(request, "user", None)
    actor_id = user.pk if user is not None and user.is_authenticated else None
    record(actor_id=actor_id, ip=client_ip(request), **fields)  # type: ignore[arg-type]
