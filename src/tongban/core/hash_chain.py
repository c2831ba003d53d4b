"""Append-only logs as a few SHA-256 hash chains (THREATS T-E1–T-E3, T-J1): the machinery the data usage
log (``sharing.usage_log``) and the audit log (``core.audit``) share.

A log is a row model with ``chain``, ``seq``, ``prev_hash`` and ``hash`` and a head model (primary key =
chain number, ``seq``, ``hash``). ``hash = SHA-256(prev_hash ‖ 0x00 ‖ canonical(row))`` over the log's
hashed fields, ``seq`` gap-free within its chain. One chain would make every writer wait for one row lock:
``lock_head`` takes the first head no other writer holds (``SELECT … FOR UPDATE SKIP LOCKED`` on
PostgreSQL), so up to ``chains`` writers append at once. ``verify`` walks every chain and names the first
bad row; ``sign_checkpoint`` signs every head with a key held outside the database, and
``verify_checkpoint`` catches a chain recomputed over forged rows. A head may carry ``start_seq`` and
``start_hash`` (the first kept row and the hash it links to) when old rows are purged from the start.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core.signing import get_signer, verify_signature

GENESIS = "0" * 64
# What an application role may not do on a log table: it adds and reads rows, nothing else.
FORBIDDEN_PRIVILEGES = ("UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")


@dataclass(frozen=True)
class Checkpoint:
    """The chain heads signed outside the database (T-E3); kept off the DB host as JSON."""

    seq: int
    hash: str
    signed_at: str
    algorithm: str
    signature: str  # base64
    # The heads of chains 2 and up as (chain, seq, hash); chain 1's head is ``seq`` and ``hash``.
    chains: Sequence[Sequence[Any]] = ()
    # Where each chain starts after a purge, as (chain, start_seq, start_hash); empty when never purged.
    starts: Sequence[Sequence[Any]] = ()


@dataclass(frozen=True)
class ChainProblem:
    """The first bad row the verifier found: row ``seq`` of ``chain``."""

    seq: int
    problem: str
    chain: int = 1


@dataclass(frozen=True)
class HashChain:
    """One log: its models, the fields a row is judged by, and how its chains begin."""

    row_model: type[models.Model]
    head_model: type[models.Model]
    fields: tuple[str, ...]
    genesis_label: str  # formatted with the chain number for chains 2 and up
    chains: int = 8
    time_field: str = ""  # the hashed field set to now() on append

    def genesis(self, chain: int) -> str:
        """The "previous hash" of a chain's first row: distinct per chain, so two chains never share a
        hash and a row moved between chains cannot link."""
        return (
            GENESIS if chain == 1 else hashlib.sha256(self.genesis_label.format(chain).encode()).hexdigest()
        )

    def start(self, head: models.Model | None, chain: int) -> tuple[int, str]:
        """The first seq a chain holds and the hash that row links to (after a purge, not 1/genesis)."""
        if head is None or not getattr(head, "start_seq", 0):
            return 1, self.genesis(chain)
        return head.start_seq, head.start_hash  # type: ignore[attr-defined]


def canonical(values: dict[str, object], fields: Sequence[str]) -> bytes:
    def plain(value: object) -> object:
        if isinstance(value, dt.datetime):
            return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
        return value

    return json.dumps(
        {name: plain(values[name]) for name in fields},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    ).encode()


def row_hash(prev_hash: str, values: dict[str, object], fields: Sequence[str]) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\x00" + canonical(values, fields)).hexdigest()


def _preferred_chain(chains: int) -> int:
    """The chain a writer waits for when every head is busy: spread by process and thread."""
    return (os.getpid() * 31 + threading.get_ident()) % chains + 1


def lock_head(log: HashChain) -> Any:
    """Lock and return a chain head inside the caller's transaction.

    PostgreSQL: the lowest-numbered head no other transaction holds (so one writer always uses chain 1);
    when all are busy a new head is added, up to ``log.chains``, and past that the writer waits for its
    preferred chain. Other databases (SQLite: one writer at a time anyway) use chain 1."""
    heads = log.head_model.objects  # type: ignore[attr-defined]
    if not connection.features.has_select_for_update_skip_locked:
        return heads.select_for_update().get_or_create(pk=1)[0]
    free = heads.select_for_update(skip_locked=True).order_by("pk")
    head = free.first()
    while head is None:
        count = heads.count()
        if count >= log.chains:
            return heads.select_for_update().get(pk=_preferred_chain(log.chains))
        heads.bulk_create([log.head_model(pk=count + 1, hash=log.genesis(count + 1))], ignore_conflicts=True)
        head = free.filter(pk=count + 1).first()  # None when another writer took the new head first
    return head


# Without row locks (SQLite), the threads of one process append one at a time: a threaded server may
# share one connection between requests (Django's live server does with an in-memory database), so
# the database's own write lock cannot keep two of them from reading the same head.
_UNLOCKED_APPEND = threading.Lock()


def append(log: HashChain, values: dict[str, object], *, savepoint: bool = True) -> tuple[int, int]:
    """Add one row with ``values`` (every hashed field but ``seq`` and the time field) at the head of a
    free chain; return (chain, seq). Commits on return or with the caller's transaction."""
    if connection.features.has_select_for_update:
        return _append(log, values, savepoint=savepoint)
    with _UNLOCKED_APPEND:
        return _append(log, values, savepoint=savepoint)


def _append(log: HashChain, values: dict[str, object], *, savepoint: bool) -> tuple[int, int]:
    with transaction.atomic(savepoint=savepoint):
        head = lock_head(log)
        values = {**values, "seq": head.seq + 1}
        if log.time_field:
            # Truncated to microseconds, as every database stores them, so the hash can be recomputed.
            values[log.time_field] = timezone.now()
        digest = row_hash(head.hash, values, log.fields)
        log.row_model.objects.create(chain=head.pk, prev_hash=head.hash, hash=digest, **values)  # type: ignore[attr-defined]
        head.seq, head.hash = values["seq"], digest
        head.save(update_fields=["seq", "hash"])
    return head.pk, int(values["seq"])  # type: ignore[call-overload]


def _check_head(log: HashChain, chain: int, head: Any, last_seq: int, last_hash: str) -> ChainProblem | None:
    head_seq, head_hash = (head.seq, head.hash) if head else (0, log.genesis(chain))
    if (head_seq, head_hash) != (last_seq, last_hash):
        return ChainProblem(
            last_seq + 1,
            _("链头为第 %(head)s 条，记录只到第 %(last)s 条（末尾记录被删除或链头被改）")
            % {"head": head_seq, "last": last_seq},
            chain=chain,
        )
    return None


def _rows(log: HashChain) -> Iterator[Any]:
    return log.row_model.objects.order_by("chain", "seq").iterator(chunk_size=2000)  # type: ignore[attr-defined]


def verify(log: HashChain) -> tuple[int, ChainProblem | None]:
    """Walk every chain from its start: (rows checked, the first problem or None).

    Detects an edited row (its hash no longer matches), a deleted or inserted row (a gap in ``seq``
    or a broken link to the previous hash), reordered rows (seq is hashed), a row moved to another chain
    (both chains break) and a truncated tail or appended forgery (the chain's head row disagrees with
    its last row)."""
    heads = {head.pk: head for head in log.head_model.objects.all()}  # type: ignore[attr-defined]
    chain, expected_seq, prev_hash, checked = 0, 1, GENESIS, 0

    for row in _rows(log):
        if row.chain != chain:
            if chain and (
                problem := _check_head(log, chain, heads.pop(chain, None), expected_seq - 1, prev_hash)
            ):
                return checked, problem
            chain = row.chain
            expected_seq, prev_hash = log.start(heads.get(chain), chain)
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
        if row_hash(prev_hash, {name: getattr(row, name) for name in log.fields}, log.fields) != row.hash:
            return checked, ChainProblem(row.seq, _("内容与哈希不符（记录被修改）"), chain=chain)
        prev_hash, expected_seq, checked = row.hash, expected_seq + 1, checked + 1
    if chain and (problem := _check_head(log, chain, heads.pop(chain, None), expected_seq - 1, prev_hash)):
        return checked, problem
    for empty_chain, head in sorted(heads.items()):  # heads whose every row is gone (or purged)
        start_seq, start_hash = log.start(head, empty_chain)
        if problem := _check_head(log, empty_chain, head, start_seq - 1, start_hash):
            return checked, problem
    return checked, None


def _checkpoint_data(
    *,
    seq: int,
    hash: str,
    signed_at: str,
    chains: Sequence[Sequence[object]],
    starts: Sequence[Sequence[object]],
) -> bytes:
    values: dict[str, object] = {"seq": seq, "hash": hash, "signed_at": signed_at}
    if chains:  # a checkpoint of chain 1 alone reads as before there were several chains
        values["chains"] = [list(head) for head in chains]
    if starts:
        values["starts"] = [list(start) for start in starts]
    return json.dumps(values, sort_keys=True).encode()


def sign_checkpoint(log: HashChain, *, private_key_ref: str, with_starts: bool = False) -> Checkpoint:
    """Every chain head (chain 1 in ``seq``/``hash``, the others in ``chains`` as [chain, seq, hash]) and,
    ``with_starts``, every chain's start, signed with a key held outside the database (T-E3): kept off the
    DB host, it lets ``verify_checkpoint`` catch a chain rewritten consistently from its start."""
    rows = list(log.head_model.objects.order_by("pk"))  # type: ignore[attr-defined]
    heads = {head.pk: (head.seq, head.hash) for head in rows}
    starts = tuple((head.pk, *log.start(head, head.pk)) for head in rows) if with_starts else ()
    seq, head_hash = heads.pop(1, (0, GENESIS))
    chains = tuple((chain, chain_seq, chain_hash) for chain, (chain_seq, chain_hash) in heads.items())
    signed_at = (
        timezone.now().astimezone(dt.UTC).isoformat(timespec="microseconds" if with_starts else "seconds")
    )
    signer = get_signer()
    signature = signer.sign(
        private_key_ref=private_key_ref,
        data=_checkpoint_data(seq=seq, hash=head_hash, signed_at=signed_at, chains=chains, starts=starts),
    )
    return Checkpoint(
        seq=seq,
        hash=head_hash,
        signed_at=signed_at,
        algorithm=signer.algorithm,
        signature=base64.b64encode(signature).decode(),
        chains=chains,
        starts=starts,
    )


def verify_checkpoint(log: HashChain, checkpoint: Checkpoint, *, public_key_pem: str) -> ChainProblem | None:
    """Whether the stored chains still contain the signed checkpoint: the signature is valid for the
    trusted public key; in every chain the row at the signed seq has the signed hash, and no chain starts
    later than it was signed to (rows purged since without a newer checkpoint). Run after ``verify``."""
    data = _checkpoint_data(
        seq=checkpoint.seq,
        hash=checkpoint.hash,
        signed_at=checkpoint.signed_at,
        chains=checkpoint.chains,
        starts=checkpoint.starts,
    )
    try:
        signature = base64.b64decode(checkpoint.signature, validate=True)
    except ValueError:
        signature = b""
    if not verify_signature(
        algorithm=checkpoint.algorithm, public_key_pem=public_key_pem, data=data, signature=signature
    ):
        return ChainProblem(checkpoint.seq, _("检查点签名无效（检查点被伪造或公钥不符）"))
    heads = {head.pk: head for head in log.head_model.objects.all()}  # type: ignore[attr-defined]
    signed_starts = {int(chain): (int(seq), str(start_hash)) for chain, seq, start_hash in checkpoint.starts}
    for chain, signed_start in signed_starts.items():
        if log.start(heads.get(chain), chain) != signed_start:
            return ChainProblem(
                signed_start[0], _("链的起点与已签名的检查点不符（记录在检查点之后被删除）"), chain=chain
            )
    for chain, seq, signed_hash in ((1, checkpoint.seq, checkpoint.hash), *checkpoint.chains):
        if seq == 0 or seq < signed_starts.get(int(chain), (1, ""))[0]:
            continue
        stored = (
            log.row_model.objects.filter(chain=chain, seq=seq).values_list("hash", flat=True).first()  # type: ignore[attr-defined]
        )
        if stored != signed_hash:
            return ChainProblem(int(seq), _("与已签名的检查点不符（记录链被整体重算）"), chain=int(chain))
    return None


def restrict_role(role: str, tables: Sequence[str]) -> None:
    """Make ``tables`` append-only for ``role`` (PostgreSQL): GRANT SELECT, INSERT; REVOKE UPDATE,
    DELETE, TRUNCATE (and REFERENCES, TRIGGER) from it and from PUBLIC. Run by the tables' owner. Safe
    to run twice."""
    name = connection.ops.quote_name(role)
    forbidden = ", ".join(FORBIDDEN_PRIVILEGES)
    with connection.cursor() as cursor:
        for db_table in tables:
            table = connection.ops.quote_name(db_table)
            cursor.execute(f"GRANT SELECT, INSERT ON {table} TO {name}")
            cursor.execute(f"REVOKE {forbidden} ON {table} FROM {name}")
            cursor.execute(f"REVOKE {forbidden} ON {table} FROM PUBLIC")
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [db_table])
            (sequence,) = cursor.fetchone()
            if sequence:
                cursor.execute(f"GRANT USAGE ON SEQUENCE {sequence} TO {name}")


def role_problems(role: str, tables: dict[str, str]) -> list[str]:
    """Why ``role`` could still rewrite one of ``tables`` (PostgreSQL; table → what it is called);
    empty when it can only add and read."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
        found = cursor.fetchone()
        if found is None:
            return [_("数据库角色 %(role)s 不存在") % {"role": role}]
        problems = [_("角色是超级用户，不受权限限制")] if found[0] else []
        for db_table, called in tables.items():
            cursor.execute(
                "SELECT pg_has_role(%s, tableowner, 'USAGE') FROM pg_tables WHERE tablename = %s",
                [role, db_table],
            )
            (owns,) = cursor.fetchone()
            if owns:
                problems.append(_("角色是%(table)s表的所有者，可以自行恢复权限") % {"table": called})
            for privilege in ("SELECT", "INSERT", *FORBIDDEN_PRIVILEGES):
                cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [role, db_table, privilege])
                (held,) = cursor.fetchone()
                if held != (privilege in ("SELECT", "INSERT")):
                    problems.append(
                        (_("角色持有 %(privilege)s 权限") if held else _("角色缺少 %(privilege)s 权限"))
                        % {"privilege": privilege}
                    )
        return problems
