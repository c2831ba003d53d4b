"""The usage log as a few SHA-256 hash chains (THREATS T-E1, T-E2).

One chain would make every writer of the city wait for one row lock. ``append`` takes the first chain
head no other writer holds (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL), so up to ``CHAINS``
writers append at once; within a chain rows stay gap-free and each links to the one before it.
``verify`` walks every chain and names the first bad row; a checkpoint signs every chain's head.
"""

from __future__ import annotations

from collections.abc import Sequence

from tongban.core import hash_chain
from tongban.core.hash_chain import FORBIDDEN_PRIVILEGES, GENESIS  # noqa: F401  (re-exported)
from tongban.sharing.models import UsageChainHead, UsageLogEntry
from tongban.sharing.types import ChainProblem, Checkpoint

# Writers that can append at once. More chains cost nothing but a head row each; two sync workers per
# core on a few app nodes rarely hold more than eight heads at the same moment.
CHAINS = 8

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

LOG = hash_chain.HashChain(
    row_model=UsageLogEntry,
    head_model=UsageChainHead,
    fields=HASHED_FIELDS,
    genesis_label="tongban usage log chain {}",
    chains=CHAINS,
    time_field="created_at",
)


def genesis(chain: int) -> str:
    """The "previous hash" of a chain's first row (chain 1 keeps the single chain's genesis)."""
    return LOG.genesis(chain)


def row_hash(prev_hash: str, values: dict[str, object]) -> str:
    return hash_chain.row_hash(prev_hash, values, HASHED_FIELDS)


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
    _chain, seq = hash_chain.append(
        LOG,
        {
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
        },
        savepoint=savepoint,
    )
    return seq


def verify() -> tuple[int, ChainProblem | None]:
    """Walk every chain from seq 1: (rows checked, the first problem or None); see
    ``core.hash_chain.verify`` for what it detects."""
    return hash_chain.verify(LOG)


def sign_checkpoint(*, private_key_ref: str) -> Checkpoint:
    """Every chain head signed with a key held outside the database (T-E3)."""
    return hash_chain.sign_checkpoint(LOG, private_key_ref=private_key_ref)


def verify_checkpoint(checkpoint: Checkpoint, *, public_key_pem: str) -> ChainProblem | None:
    """Whether the stored chains still contain the signed checkpoint. Run after ``verify``."""
    return hash_chain.verify_checkpoint(LOG, checkpoint, public_key_pem=public_key_pem)


# What the application's role may do on the usage log (T-E3): add and read rows, nothing else.
LOG_TABLE = UsageLogEntry._meta.db_table


def restrict_role(role: str) -> None:
    """Make the usage log append-only for ``role`` (PostgreSQL); safe to run twice."""
    hash_chain.restrict_role(role, [LOG_TABLE])


def role_problems(role: str) -> list[str]:
    """Why ``role`` could still rewrite the usage log (PostgreSQL); empty when it can only add and read."""
    return hash_chain.role_problems(role, {LOG_TABLE: "数据使用记录"})
