"""Keeping the audit log's hash chain honest (T-J1): verification, signed checkpoints written off the
database host, the restricted database role and retention.

Checkpoints are JSON files in ``TONGBAN_AUDIT_CHECKPOINT_DIR`` (a mount of another host), signed with the
private key reference in ``TONGBAN_AUDIT_CHECKPOINT_KEY_FILE`` and checked with the public key in
``TONGBAN_AUDIT_CHECKPOINT_PUBLIC_KEY_FILE``. Purging removes only expired rows from a chain's start and
signs the new start in a checkpoint first, so verification passes afterwards and a row deleted from the
middle is still found.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import os
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core import hash_chain
from tongban.core.audit import LOG
from tongban.core.hash_chain import ChainProblem, Checkpoint
from tongban.core.models import AuditChainHead, AuditEvent

logger = logging.getLogger(__name__)

MINIMUM_RETENTION_DAYS = 180  # 网络安全法 Art. 21: network logs kept at least six months
# Rows about a case (an application, its tasks, a work order …) are kept for the case retention period.
CASE_OBJECT_TYPES = frozenset(
    {
        "application",
        "task",
        "process_instance",
        "material",
        "license",
        "work_order",
        "consultation",
        "disclosure_request",
        "internal_request",
    }
)
STATE_CACHE_KEY = "audit-chain-state"


@dataclasses.dataclass(frozen=True)
class ChainState:
    """The last verification: rows checked, the highest seq of chain 1, when, and the first problem."""

    checked: int
    seq: int
    at: str
    problem: str = ""
    problem_chain: int = 0
    problem_seq: int = 0
    checkpoint: str = ""  # the checkpoint file verified against, if any

    def checked_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.at)


def retention_days() -> tuple[int, int]:
    """(days every row is kept, days a row about a case is kept); refuses a period below 180 days."""
    days = int(settings.TONGBAN_AUDIT_RETENTION_DAYS)
    case_days = int(settings.TONGBAN_AUDIT_CASE_RETENTION_DAYS)
    if days < MINIMUM_RETENTION_DAYS or case_days < days:
        raise ImproperlyConfigured(
            "TONGBAN_AUDIT_RETENTION_DAYS must be at least 180 and TONGBAN_AUDIT_CASE_RETENTION_DAYS at least as long"
        )
    return days, case_days


def _read(path_setting: str) -> str:
    path = getattr(settings, path_setting, "")
    if not path:
        raise ImproperlyConfigured(f"{path_setting} is not set")
    return Path(path).read_text("utf-8").strip()


def checkpoint_dir() -> Path:
    directory = settings.TONGBAN_AUDIT_CHECKPOINT_DIR
    if not directory:
        raise ImproperlyConfigured("TONGBAN_AUDIT_CHECKPOINT_DIR is not set")
    return Path(directory)


def latest_checkpoint() -> tuple[Path, Checkpoint] | None:
    """The newest checkpoint file in the directory (names sort by time), or None."""
    if not settings.TONGBAN_AUDIT_CHECKPOINT_DIR or not checkpoint_dir().is_dir():
        return None
    files = sorted(checkpoint_dir().glob("audit-checkpoint-*.json"))
    if not files:
        return None
    return files[-1], Checkpoint(**json.loads(files[-1].read_text("utf-8")))


def _same_heads(a: Checkpoint, b: Checkpoint) -> bool:
    def heads(c: Checkpoint) -> object:
        return (c.seq, c.hash, [list(x) for x in c.chains], [list(x) for x in c.starts])

    return heads(a) == heads(b)


def write_checkpoint() -> Path:
    """Sign every chain head and start and write the checkpoint as a new file (written whole, then
    renamed). Idempotent: when nothing was added since the newest file, that file is returned."""
    checkpoint = hash_chain.sign_checkpoint(
        LOG, private_key_ref=_read("TONGBAN_AUDIT_CHECKPOINT_KEY_FILE"), with_starts=True
    )
    latest = latest_checkpoint()
    if latest is not None and _same_heads(latest[1], checkpoint):
        return latest[0]
    directory = checkpoint_dir()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = checkpoint.signed_at.replace(":", "").replace("-", "").replace("+0000", "Z")
    path = directory / f"audit-checkpoint-{stamp}.json"
    partial = path.with_suffix(".part")
    partial.write_text(json.dumps(dataclasses.asdict(checkpoint), sort_keys=True), "utf-8")
    os.replace(partial, path)
    return path


def verify(*, with_checkpoint: bool = True) -> ChainState:
    """Walk every chain, then (when a checkpoint directory and public key are configured) check the
    newest checkpoint; remember the result for the 审计管理员's page."""
    checked, problem = hash_chain.verify(LOG)
    used = ""
    if problem is None and with_checkpoint and settings.TONGBAN_AUDIT_CHECKPOINT_PUBLIC_KEY_FILE:
        latest = latest_checkpoint()
        if latest is not None:
            used = latest[0].name
            problem = hash_chain.verify_checkpoint(
                LOG, latest[1], public_key_pem=_read("TONGBAN_AUDIT_CHECKPOINT_PUBLIC_KEY_FILE")
            )
    head = AuditChainHead.objects.filter(pk=1).values_list("seq", flat=True).first() or 0
    state = ChainState(
        checked=checked,
        seq=head,
        at=timezone.now().isoformat(timespec="seconds"),
        problem=problem.problem if problem else "",
        problem_chain=problem.chain if problem else 0,
        problem_seq=problem.seq if problem else 0,
        checkpoint=used,
    )
    cache.set(STATE_CACHE_KEY, dataclasses.asdict(state), None)
    if problem is not None:
        logger.error("audit chain broken", extra={"chain": problem.chain, "seq": problem.seq})
    return state


def last_state() -> ChainState | None:
    """The result of the last verification (the periodic task or ``verify_audit``), or None."""
    stored = cache.get(STATE_CACHE_KEY)
    return ChainState(**stored) if stored else None


def _expired(now: dt.datetime) -> Q:
    days, case_days = retention_days()
    return Q(at__lt=now - dt.timedelta(days=case_days)) | (
        Q(at__lt=now - dt.timedelta(days=days)) & ~Q(object_type__in=CASE_OBJECT_TYPES)
    )


def purge(*, now: dt.datetime | None = None) -> tuple[int, Path | None]:
    """Delete the expired rows at the start of every chain, up to the first row still kept (a kept row
    keeps every later one of its chain), move the chains' starts and sign them in a checkpoint before
    committing. Returns (rows deleted, the checkpoint file or None when nothing expired). Runs as the
    audit table's owner: the application's role may not delete (``restrict_db_role``)."""
    now = now or timezone.now()
    expired = _expired(now)
    checkpoint_dir(), _read("TONGBAN_AUDIT_CHECKPOINT_KEY_FILE")  # no cut without its signed checkpoint
    deleted = 0
    with transaction.atomic():
        for head in AuditChainHead.objects.select_for_update().order_by("pk"):
            start_seq, _start_hash = LOG.start(head, head.pk)
            rows = AuditEvent.objects.filter(chain=head.pk)
            kept = (
                rows.filter(seq__gte=start_seq)
                .exclude(expired)
                .order_by("seq")
                .values_list("seq", flat=True)
                .first()
            )
            end = kept if kept is not None else head.seq + 1
            if end <= start_seq:
                continue
            last_gone = rows.filter(seq=end - 1).values_list("hash", flat=True).first()
            if last_gone is None:  # the chain is already broken here; verification will say where
                continue
            deleted += rows.filter(seq__lt=end).delete()[0]
            head.start_seq, head.start_hash = end, last_gone
            head.save(update_fields=["start_seq", "start_hash"])
        path = write_checkpoint() if deleted else None
    if deleted:
        logger.info("audit rows purged", extra={"rows": deleted})
    return deleted, path


def describe(problem: ChainProblem) -> str:
    return _("第 %(chain)s 链第 %(seq)s 条：%(problem)s") % {
        "chain": problem.chain,
        "seq": problem.seq,
        "problem": problem.problem,
    }


def append_only_tables() -> dict[str, str]:
    """Every hash-chained log table of the installed apps (models with ``APPEND_ONLY = True``): the audit
    log and the data usage log. Table → what it is called."""
    return {
        model._meta.db_table: str(model._meta.verbose_name)
        for model in apps.get_models()
        if getattr(model, "APPEND_ONLY", False)
    }
