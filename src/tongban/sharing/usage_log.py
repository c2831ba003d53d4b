"""The usage log as a SHA-256 hash chain (THREATS T-E1, T-E2).

``append`` locks the chain head row, so concurrent appends from several app nodes are serialized and
each row links to the one before it. ``verify`` walks the chain and names the first bad row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.sharing.models import UsageChainHead, UsageLogEntry
from tongban.sharing.types import ChainProblem

GENESIS = "0" * 64
# Every field a row is judged by; changing any of them breaks the row's hash.
HASHED_FIELDS = (
    "seq",
    "created_at",
    "channel",
    "client_id_ref",
    "department_id_ref",
    "department_name",
    "resource_code",
    "resource_name",
    "subject_kind",
    "subject_key",
    "subject_masked",
    "item_names",
    "purpose",
    "case_ref",
    "outcome",
    "reason",
)


def _canonical(values: dict[str, object]) -> bytes:
    def plain(value: object) -> object:
        if isinstance(value, dt.datetime):
            return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
        return value

    return json.dumps(
        {name: plain(values[name]) for name in HASHED_FIELDS},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    ).encode()


def row_hash(prev_hash: str, values: dict[str, object]) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\x00" + _canonical(values)).hexdigest()


def append(
    *,
    channel: str,
    client_id: int | None,
    department_id: int | None,
    department_name: str,
    resource_code: str,
    resource_name: str,
    subject_kind: str,
    subject_key: str,
    subject_masked: str,
    item_names: Sequence[str],
    purpose: str,
    case_ref: str,
    outcome: str,
    reason: str = "",
) -> int:
    """Append one row at the head of the chain and return its ``seq``. Commits on return."""
    with transaction.atomic():
        head, _created = UsageChainHead.objects.select_for_update().get_or_create(pk=1)
        values: dict[str, object] = {
            "seq": head.seq + 1,
            # Truncated to microseconds, as every database stores them, so the hash can be recomputed.
            "created_at": timezone.now(),
            "channel": channel,
            "client_id_ref": client_id,
            "department_id_ref": department_id,
            "department_name": department_name,
            "resource_code": resource_code,
            "resource_name": resource_name,
            "subject_kind": subject_kind,
            "subject_key": subject_key,
            "subject_masked": subject_masked,
            "item_names": list(item_names),
            "purpose": purpose[:200],
            "case_ref": case_ref[:100],
            "outcome": outcome,
            "reason": reason[:200],
        }
        digest = row_hash(head.hash, values)
        UsageLogEntry.objects.create(prev_hash=head.hash, hash=digest, **values)
        head.seq, head.hash = values["seq"], digest  # type: ignore[assignment]
        head.save(update_fields=["seq", "hash"])
    return int(values["seq"])  # type: ignore[call-overload]


def _rows() -> Iterator[UsageLogEntry]:
    return UsageLogEntry.objects.order_by("seq").iterator(chunk_size=2000)


def verify() -> tuple[int, ChainProblem | None]:
    """Walk the chain from seq 1: (rows checked, the first problem or None).

    Detects an edited row (its hash no longer matches), a deleted or inserted row (a gap in ``seq``
    or a broken link to the previous hash), reordered rows (seq is hashed) and a truncated tail or
    appended forgery (the head row disagrees with the last row)."""
    expected_seq, prev_hash, checked = 1, GENESIS, 0
    for row in _rows():
        if row.seq != expected_seq:
            return checked, ChainProblem(
                row.seq,
                _("序号不连续：应为 %(expected)s，实为 %(seq)s（前面的记录被删除）")
                % {"expected": expected_seq, "seq": row.seq},
            )
        if row.prev_hash != prev_hash:
            return checked, ChainProblem(row.seq, _("与上一条记录的哈希不衔接（记录被删除、插入或调换）"))
        values = {name: getattr(row, name) for name in HASHED_FIELDS}
        if row_hash(prev_hash, values) != row.hash:
            return checked, ChainProblem(row.seq, _("内容与哈希不符（记录被修改）"))
        prev_hash, expected_seq, checked = row.hash, expected_seq + 1, checked + 1
    head = UsageChainHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if (head_seq, head_hash) != (expected_seq - 1, prev_hash):
        return checked, ChainProblem(
            expected_seq,
            _("链头为第 %(head)s 条，记录只到第 %(last)s 条（末尾记录被删除或链头被改）")
            % {"head": head_seq, "last": expected_seq - 1},
        )
    return checked, None
