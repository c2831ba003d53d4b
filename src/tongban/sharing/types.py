import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tongban.core.hash_chain import ChainProblem, Checkpoint  # noqa: F401  (the usage log's)


@dataclass(frozen=True)
class Subject:
    """Whose data: ``key`` is the resident-ID keyed hash (persons) or the USCC (legal persons)."""

    kind: str  # person, enterprise
    key: str
    masked: str


@dataclass(frozen=True)
class ExchangeCaller:
    """The exchange client making a query and the department it acts for, read once per request (the
    API permission reads it with the token) and copied into the usage log."""

    client_id: int
    department_id: int
    department_name: str


@dataclass(frozen=True)
class SharedData:
    """What one exchange query returned: only granted items, and the usage-log row that records it."""

    resource_code: str
    subject_masked: str
    items: Mapping[str, object]
    usage_seq: int


@dataclass(frozen=True)
class ExchangeAnswer:
    """The answer to an exchange write: HTTP status and JSON body; ``replayed`` when it is the stored
    answer to an earlier request with the same Idempotency-Key."""

    status: int
    body: Mapping[str, Any]
    replayed: bool


@dataclass(frozen=True)
class ItemData:
    key: str
    name: str
    data_type: str = "字符型"


@dataclass(frozen=True)
class ResourceData:
    """A catalog entry as the demo loader or an admin import describes it (STANDARDS.md §7 fields)."""

    code: str
    name: str
    classification: str
    department_id: int
    summary: str
    subject_kind: str
    provider: str
    sharing_type: str
    items: tuple[ItemData, ...]
    sharing_condition: str = ""
    not_shared_basis: str = ""
    update_cycle: str = "实时"
    related_resources: str = ""


@dataclass(frozen=True)
class ClientCredentials:
    """Shown once when a client is registered; the secret is stored hashed."""

    client_pk: int
    client_id: str
    client_secret: str


@dataclass(frozen=True)
class UsageRecord:
    """One row of 我的数据使用记录 or the provider's 数据使用记录; ``id`` orders rows newest first."""

    id: int
    seq: int
    used_at: dt.datetime
    department_name: str
    resource_name: str
    subject_masked: str
    item_names: tuple[str, ...]
    purpose: str
    case_ref: str
    outcome: str
    outcome_label: str


@dataclass(frozen=True)
class UsagePage:
    """One page of a usage-log list, newest first. ``next_before`` is the ``before`` of the next
    (older) page, None on the last page: keyset pagination, as fast at page 1,000 as at page 1."""

    records: tuple[UsageRecord, ...]
    next_before: int | None


@dataclass(frozen=True)
class AccessRequestView:
    """A 共享申请 as the provider's department admin sees it."""

    id: int
    resource_code: str
    resource_name: str
    department_name: str
    purpose: str
    item_names: tuple[str, ...]
    valid_from: dt.date
    valid_until: dt.date
    requested_at: dt.datetime
    answer_due: dt.date
    status: str
    status_label: str
    refusal_reason: str
