import datetime as dt
from dataclasses import dataclass

from tongban.accounts.types import NewStaffPassword, StaffAccount


@dataclass(frozen=True)
class RegionRef:
    id: int
    code: str
    name: str
    level: str


@dataclass(frozen=True)
class DepartmentRef:
    id: int
    name: str
    short_name: str
    uscc: str
    region_id: int
    phone: str


@dataclass(frozen=True)
class HallRef:
    id: int
    name: str
    address: str
    hours: str
    phone: str
    directions: str


@dataclass(frozen=True)
class StaffScope:
    """The departments whose staff and roles an administrator manages: every active department for a
    city administrator or a security administrator (``city_wide``), else those where they hold
    department_admin. 三权分立: the 系统管理员 manages accounts but grants no role (``grants_roles``
    False); the 安全管理员 grants and withdraws roles but changes no account (``manages_accounts`` False);
    a department administrator does both for ordinary roles in their departments."""

    user_id: int
    city_wide: bool
    department_ids: frozenset[int]
    grants_roles: bool = True
    manages_accounts: bool = True

    def covers(self, department_id: int) -> bool:
        return department_id in self.department_ids


@dataclass(frozen=True)
class RoleGrant:
    """One role (岗位) a person holds in a department; ``in_scope``: the viewer administers that department."""

    department_id: int
    department_name: str
    role: str
    role_label: str
    in_scope: bool


@dataclass(frozen=True)
class StaffMember:
    """A staff account with its roles, as an administrator sees it. ``refusal`` says why the account
    itself (password, authenticator, active or not) is not theirs to change; empty when it is."""

    account: StaffAccount
    grants: tuple[RoleGrant, ...]
    refusal: str

    @property
    def grants_in_scope(self) -> tuple[RoleGrant, ...]:
        return tuple(g for g in self.grants if g.in_scope)

    @property
    def grants_elsewhere(self) -> tuple[RoleGrant, ...]:
        return tuple(g for g in self.grants if not g.in_scope)


@dataclass(frozen=True)
class StaffRow:
    """A line of the staff list: the account and its roles in the viewer's departments."""

    account: StaffAccount
    grants: tuple[RoleGrant, ...]


@dataclass(frozen=True)
class StaffListPage:
    rows: tuple[StaffRow, ...]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class OpenWork:
    """Something still in a person's hands that someone else must take over when they leave (a task
    they hold), from the app that owns it: where an administrator hands it on, and with which words."""

    title: str
    department_id: int
    since: dt.datetime
    url: str
    action: str


@dataclass(frozen=True)
class ImportedStaff:
    """What ``import_staff`` did: the accounts it created (each with its first password, shown once),
    how many roles it granted to accounts that existed, and how many lines changed nothing."""

    created: tuple[NewStaffPassword, ...]
    roles_granted: int
    unchanged: int


@dataclass(frozen=True)
class WindowRef:
    """A counter in a hall and one department it is staffed for (a window serving two departments
    gives two refs)."""

    id: int
    hall_id: int
    hall_name: str
    number: str
    name: str
    department_id: int

    @property
    def label(self) -> str:
        return f"{self.hall_name} {self.number}号窗口 {self.name}"
