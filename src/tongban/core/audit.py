"""The audit log (T-J2): logins and their failures, the second factor, logouts, refused accesses, every
view of someone's personal data, role and permission grants, with who, from which department, whose
data, what, from where, when, the result and the request id. Rows are only ever added, as links of a few
SHA-256 hash chains (T-J1, ``core.hash_chain``; verified, checkpointed and purged by ``core.audit_chain``);
nothing in the platform edits or deletes them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.http import HttpRequest

from tongban.core import hash_chain
from tongban.core.calendar import CHINA_TZ
from tongban.core.models import AuditChainHead, AuditEvent, AuditResult
from tongban.core.requests import current_request_id
from tongban.core.views import client_ip

# Every field a row is judged by; changing any of them breaks the row's hash (T-J1).
HASHED_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "department_id",
    "ip",
    "event",
    "object_type",
    "object_id",
    "subject_id",
    "result",
    "reason",
    "request_id",
)
LOG = hash_chain.HashChain(
    row_model=AuditEvent,
    head_model=AuditChainHead,
    fields=HASHED_FIELDS,
    genesis_label="tongban audit log chain {}",
    time_field="at",
)

# Fields nobody sets on their own account or record (T-B5): a request naming one is audited as an attempt.
PROTECTED_FIELDS = frozenset(
    {
        "is_staff",
        "is_superuser",
        "is_active",
        "groups",
        "user_permissions",
        "kind",
        "role",
        "roles",
        "department",
        "department_id",
        "realname_verified",
        "resident_id_hmac",
        "resident_id_masked",
        "status",
        "owner",
        "applicant",
        "applicant_id",
    }
)


def record(
    *,
    event: str,
    actor_id: int | None,
    object_type: str,
    object_id: object,
    subject_id: int | None = None,
    department_id: int | None = None,
    denied: bool = False,
    failed: bool = False,
    reason: str = "",
    ip: str | None = None,
) -> None:
    """Add one audit row. ``subject_id`` is the person whose data was seen; ``department_id`` the
    department the actor acted for; ``denied`` marks a refused attempt, ``failed`` a failed one (a
    wrong password or code). The request id is the current request's (``core.requests``)."""
    if denied:
        result = AuditResult.DENIED
    elif failed:
        result = AuditResult.FAIL
    else:
        result = AuditResult.OK
    hash_chain.append(
        LOG,
        {
            "event": event,
            "actor_id": actor_id,
            "department_id": department_id,
            "object_type": object_type,
            "object_id": str(object_id)[:64],
            "subject_id": subject_id,
            "result": str(result),
            "reason": reason[:200],
            # As the database stores it (IPv6 compressed), so the hash can be recomputed from the row.
            "ip": AuditEvent._meta.get_field("ip").get_prep_value(ip or None),
            "request_id": current_request_id(),
        },
    )


def record_request(request: HttpRequest, **fields: object) -> None:
    """``record`` for a view: the actor and address come from the request."""
    user = getattr(request, "user", None)
    actor_id = user.pk if user is not None and user.is_authenticated else None
    record(actor_id=actor_id, ip=client_ip(request), **fields)  # type: ignore[arg-type]


def protected_fields_in(names: Iterable[str]) -> list[str]:
    return sorted(set(names) & PROTECTED_FIELDS)


def record_protected_fields(request: HttpRequest, names: Iterable[str], *, object_type: str) -> None:
    """Audit a request that tried to set protected fields (T-B5); the fields are ignored or refused
    by the caller. Does nothing when ``names`` holds none."""
    if protected := protected_fields_in(names):
        record_request(
            request,
            event="mass_assignment",
            object_type=object_type,
            object_id="",
            denied=True,
            reason=",".join(protected),
        )


@dataclass(frozen=True)
class AuditQuery:
    """What the 审计管理员 searches by; every part optional. ``until`` is inclusive (a whole day)."""

    actor_id: int | None = None
    subject_id: int | None = None
    event: str = ""  # a prefix: "role." finds role.granted and role.revoked
    object_type: str = ""
    result: str = ""
    ip: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def search_events(query: AuditQuery, *, before_id: int | None = None, limit: int = 50) -> list[AuditEvent]:
    """Audit rows matching ``query``, newest first, ``limit`` at a time: the next page starts below
    ``before_id`` (keyset paging, so page 500 costs what page 1 does). Dates are days in China time."""
    rows = AuditEvent.objects.all()
    if query.actor_id is not None:
        rows = rows.filter(actor_id=query.actor_id)
    if query.subject_id is not None:
        rows = rows.filter(subject_id=query.subject_id)
    if query.event:
        rows = rows.filter(event__startswith=query.event)
    if query.object_type:
        rows = rows.filter(object_type=query.object_type)
    if query.result:
        rows = rows.filter(result=query.result)
    if query.ip:
        rows = rows.filter(ip=query.ip)
    if query.since:
        rows = rows.filter(at__gte=dt.datetime.combine(query.since, dt.time.min, tzinfo=CHINA_TZ))
    if query.until:
        rows = rows.filter(
            at__lt=dt.datetime.combine(query.until + dt.timedelta(days=1), dt.time.min, tzinfo=CHINA_TZ)
        )
    if before_id is not None:
        rows = rows.filter(pk__lt=before_id)
    return list(rows.order_by("-id")[:limit])
