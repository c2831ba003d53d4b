import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class UserRef:
    id: int
    username: str
    full_name: str
    kind: str


@dataclass(frozen=True)
class CodeSent:
    """What the page may say after a code request: never the code, never the full number."""

    masked_phone: str
    valid_minutes: int


@dataclass(frozen=True)
class AgentRef:
    enterprise_id: int
    enterprise_name: str
    agent_id: int
    agent_name: str
    authorized_at: dt.datetime


@dataclass(frozen=True)
class AccountSummary:
    """我的账户: only masked personal data."""

    id: int
    kind: str
    kind_label: str
    full_name: str
    masked_phone: str
    masked_resident_id: str
    uscc: str
    legal_representative: str
    agents: tuple[AgentRef, ...]
    represented_enterprises: tuple[AgentRef, ...]


@dataclass(frozen=True)
class TotpEnrolment:
    """What the enrolment page shows: the secret to type into an authenticator app, or its otpauth:// URI."""

    secret: str
    provisioning_uri: str

    @property
    def grouped_secret(self) -> str:
        """The secret in groups of four (``ABCD EFGH …``), easier to read out and type."""
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))


@dataclass(frozen=True)
class StaffAccount:
    """A staff account as the people pages show it: the phone only masked (T-M3)."""

    id: int
    username: str
    full_name: str
    masked_phone: str
    is_active: bool
    has_authenticator: bool
    last_login: dt.datetime | None
    date_joined: dt.datetime

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


@dataclass(frozen=True)
class StaffAccountPage:
    """One page of staff accounts and how many match in all."""

    accounts: tuple[StaffAccount, ...]
    total: int


@dataclass(frozen=True)
class NewStaffPassword:
    """A password made for a staff account: shown once to the administrator, never stored in clear."""

    user_id: int
    username: str
    password: str


@dataclass(frozen=True)
class Contact:
    """Whom staff call back (差评回访): the full phone number, for pages that audit who saw it (T-J2)."""

    id: int
    full_name: str
    phone: str
    masked_phone: str
