"""The usage log as a few SHA-256 hash chains (THREATS T-E1, T-E2).

One chain would make every writer of the city wait for one row lock. ``append`` takes the first chain
head no other writer holds (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL), so up to ``CHAINS``
writers append at once; within a chain rows stay gap-free and each links to the one before it.
``verify`` walks every chain and names the first bad row; a checkpoint signs every chain's head.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import threading
from collections.abc import Iterator, Sequence

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core.signing import get_signer, verify_signature
from tongban.sharing.models import UsageChainHead, UsageLogEntry
from tongban.sharing.types import ChainProblem, Checkpoint

# Writers that can append at once. More chains cost nothing but a head row each; two sync workers per
# core on a few app nodes rarely hold more than eight heads at the same moment.
CHAINS = 8
GENESIS = "0" * 64


def genesis(chain: int) -> str:
    """The "previous hash" of a chain's first row: distinct per chain, so two chains never share a hash
    and a row moved between chains cannot link (chain 1 keeps the single chain's genesis)."""
    return GENESIS if chain == 1 else hashlib.sha256(f"tongban usage log chain {chain}".encode()).hexdigest()


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


def _preferred_chain() -> int:
    """The chain a writer waits for when every head is busy: spread by process and thread."""
    return (os.getpid() * 31 + threading.get_ident()) % CHAINS + 1


def _lock_head() -> UsageChainHead:
    """Lock and return a chain head inside the caller's transaction.

    PostgreSQL: the lowest-numbered head no other transaction holds (so one writer always uses chain 1);
    when all are busy a new head is added, up to ``CHAINS``, and past that the writer waits for its
    preferred chain. Other databases (SQLite: one writer at a time anyway) use chain 1."""
    if not connection.features.has_select_for_update_skip_locked:
        return UsageChainHead.objects.select_for_update().get_or_create(pk=1)[0]
    free = UsageChainHead.objects.select_for_update(skip_locked=True).order_by("pk")
    head = free.first()
    while head is None:
        count = UsageChainHead.objects.count()
        if count >= CHAINS:
            return UsageChainHead.objects.select_for_update().get(pk=_preferred_chain())
        UsageChainHead.objects.bulk_create(
            [UsageChainHead(pk=count + 1, hash=genesis(count + 1))], ignore_conflicts=True
        )
        head = free.filter(pk=count + 1).first()  # None when another writer took the new head first
    return head


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
    savepoint: bool = True,
) -> int:
    """Append one row at the head of a free chain and return its ``seq`` in that chain. Commits on
    return (or with the caller's transaction). ``savepoint=False`` inside a caller's transaction that
    rolls back whole when the append fails saves two round trips."""
    with transaction.atomic(savepoint=savepoint):
        head = _lock_head()
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
        UsageLogEntry.objects.create(chain=head.pk, prev_hash=head.hash, hash=digest, **values)
        head.seq, head.hash = values["seq"], digest  # type: ignore[assignment]
        head.save(update_fields=["seq", "hash"])
    return int(values["seq"])  # type: ignore[call-overload]


def _rows() -> Iterator[UsageLogEntry]:
    return UsageLogEntry.objects.order_by("chain", "seq").iterator(chunk_size=2000)


def _check_head(
    chain: int, head: UsageChainHead | None, last_seq: int, last_hash: str
) -> ChainProblem | None:
    head_seq, head_hash = (head.seq, head.hash) if head else (0, genesis(chain))
    if (head_seq, head_hash) != (last_seq, last_hash):
        return ChainProblem(
            last_seq + 1,
            _("链头为第 %(head)s 条，记录只到第 %(last)s 条（末尾记录被删除或链头被改）")
            % {"head": head_seq, "last": last_seq},
            chain=chain,
        )
    return None


def verify() -> tuple[int, ChainProblem | None]:
    """Walk every chain from seq 1: (rows checked, the first problem or None).

    Detects an edited row (its hash no longer matches), a deleted or inserted row (a gap in ``seq``
    or a broken link to the previous hash), reordered rows (seq is hashed), a row moved to another chain
    (both chains break) and a truncated tail or appended forgery (the chain's head row disagrees with
    its last row)."""
    heads = {head.pk: head for head in UsageChainHead.objects.all()}
    chain, expected_seq, prev_hash, checked = 0, 1, GENESIS, 0
    for row in _rows():
        if row.chain != chain:
            if chain and (problem := _check_head(chain, heads.pop(chain, None), expected_seq - 1, prev_hash)):
                return checked, problem
            chain, expected_seq, prev_hash = row.chain, 1, genesis(row.chain)
        if row.seq != expected_seq:
            return checked, ChainProblem(
                row.seq,
                _("序号不连续：应为 %(expected)s，实为 %(seq)s（前面的记录被删除）")
                % {"expected": expected_seq, "seq": row.seq},
                chain=chain,
            )
        if row.prev_hash != prev_hash:
            return checked, ChainProblem(
                row.seq, _("与上一条记录的哈希不衔接（记录被删除、插入或调换）"), chain=chain
            )
        values = {name: getattr(row, name) for name in HASHED_FIELDS}
        if row_hash(prev_hash, values) != row.hash:
            return checked, ChainProblem(row.seq, _("内容与哈希不符（记录被修改）"), chain=chain)
        prev_hash, expected_seq, checked = row.hash, expected_seq + 1, checked + 1
    if chain and (problem := _check_head(chain, heads.pop(chain, None), expected_seq - 1, prev_hash)):
        return checked, problem
    for empty_chain, head in sorted(heads.items()):  # heads whose every row is gone
        if problem := _check_head(empty_chain, head, 0, genesis(empty_chain)):
            return checked, problem
    return checked, None


def _checkpoint_data(*, seq: int, hash: str, signed_at: str, chains: Sequence[Sequence[object]]) -> bytes:
    values: dict[str, object] = {"seq": seq, "hash": hash, "signed_at": signed_at}
    if chains:  # a checkpoint of chain 1 alone reads as before there were several chains
        values["chains"] = [list(head) for head in chains]
    return json.dumps(values, sort_keys=True).encode()


def sign_checkpoint(*, private_key_ref: str) -> Checkpoint:
    """Every chain head (chain 1 in ``seq``/``hash``, the others in ``chains`` as [chain, seq, hash])
    signed with a key held outside the database (T-E3): kept off the DB host, it lets
    ``verify_checkpoint`` catch a chain rewritten consistently from seq 1."""
    heads = {head.pk: (head.seq, head.hash) for head in UsageChainHead.objects.order_by("pk")}
    seq, head_hash = heads.pop(1, (0, GENESIS))
    chains = tuple((chain, chain_seq, chain_hash) for chain, (chain_seq, chain_hash) in heads.items())
    signed_at = timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds")
    signer = get_signer()
    signature = signer.sign(
        private_key_ref=private_key_ref,
        data=_checkpoint_data(seq=seq, hash=head_hash, signed_at=signed_at, chains=chains),
    )
    return Checkpoint(
        seq=seq,
        hash=head_hash,
        signed_at=signed_at,
        algorithm=signer.algorithm,
        signature=base64.b64encode(signature).decode(),
        chains=chains,
    )


def verify_checkpoint(checkpoint: Checkpoint, *, public_key_pem: str) -> ChainProblem | None:
    """Whether the stored chains still contain the signed checkpoint: the signature is valid for the
    trusted public key and, in every chain, the row at the signed seq has the signed hash. Run after
    ``verify``."""
    data = _checkpoint_data(
        seq=checkpoint.seq, hash=checkpoint.hash, signed_at=checkpoint.signed_at, chains=checkpoint.chains
    )
    try:
        signature = base64.b64decode(checkpoint.signature, validate=True)
    except ValueError:
        signature = b""
    if not verify_signature(
        algorithm=checkpoint.algorithm, public_key_pem=public_key_pem, data=data, signature=signature
    ):
        return ChainProblem(checkpoint.seq, _("检查点签名无效（检查点被伪造或公钥不符）"))
    for chain, seq, signed_hash in ((1, checkpoint.seq, checkpoint.hash), *checkpoint.chains):
        if seq == 0:
            continue
        stored = UsageLogEntry.objects.filter(chain=chain, seq=seq).values_list("hash", flat=True).first()
        if stored != signed_hash:
            return ChainProblem(int(seq), _("与已签名的检查点不符（记录链被整体重算）"), chain=int(chain))
    return None


# What the application's role may do on the usage log (T-E3): add and read rows, nothing else.
LOG_TABLE = UsageLogEntry._meta.db_table
FORBIDDEN_PRIVILEGES = ("UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")


def restrict_role(role: str) -> None:
    """Make the usage log append-only for ``role`` (PostgreSQL): GRANT SELECT, INSERT; REVOKE UPDATE,
    DELETE, TRUNCATE (and REFERENCES, TRIGGER) from it and from PUBLIC. Run by the table owner. Safe to
    run twice."""
    table, name = connection.ops.quote_name(LOG_TABLE), connection.ops.quote_name(role)
    forbidden = ", ".join(FORBIDDEN_PRIVILEGES)
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT SELECT, INSERT ON {table} TO {name}")
        cursor.execute(f"REVOKE {forbidden} ON {table} FROM {name}")
        cursor.execute(f"REVOKE {forbidden} ON {table} FROM PUBLIC")
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [LOG_TABLE])
        (sequence,) = cursor.fetchone()
        if sequence:
            cursor.execute(f"GRANT USAGE ON SEQUENCE {sequence} TO {name}")


def role_problems(role: str) -> list[str]:
    """Why ``role`` could still rewrite the usage log (PostgreSQL); empty when it can only add and read."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
        found = cursor.fetchone()
        if found is None:
            return [_("数据库角色 %(role)s 不存在") % {"role": role}]
        problems = [_("角色是超级用户，不受权限限制")] if found[0] else []
        cursor.execute(
            "SELECT pg_has_role(%s, tableowner, 'USAGE') FROM pg_tables WHERE tablename = %s",
            [role, LOG_TABLE],
        )
        (owns,) = cursor.fetchone()
        if owns:
            problems.append(_("角色是数据使用记录表的所有者，可以自行恢复权限"))
        for privilege in ("SELECT", "INSERT", *FORBIDDEN_PRIVILEGES):
            cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [role, LOG_TABLE, privilege])
            (held,) = cursor.fetchone()
            if held != (privilege in ("SELECT", "INSERT")):
                problems.append(
                    (_("角色持有 %(privilege)s 权限") if held else _("角色缺少 %(privilege)s 权限"))
                    % {"privilege": privilege}
                )
        return problems
