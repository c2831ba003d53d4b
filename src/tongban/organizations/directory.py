"""通讯录 (the staff directory): the organization tree with its people, their position (职务), office
phone and, only where the person allows it, their mobile number. Reads only; the person's own entry is
written by ``services.directory``.

Privacy: a mobile number leaves this module only for a person whose ``shows_mobile`` is on; a hidden
number is blanked here, before any page or search sees it, so a search never matches on it either.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from tongban.organizations.models import Department, DirectoryEntry, StaffAssignment

SEARCH_LIMIT = 100
_PINYIN_QUERY = re.compile(r"^[a-z]{2,30}$")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class DirectoryPerson:
    user_id: int
    name: str
    department_id: int
    department_name: str
    position: str
    office_phone: str
    mobile: str  # "" unless the person shows it


@dataclass
class DirectoryDepartment:
    id: int
    name: str
    phone: str
    depth: int  # 0: a department without a parent
    people: list[DirectoryPerson] = field(default_factory=list)


@dataclass(frozen=True)
class MyDirectoryEntry:
    position: str
    office_phone: str
    mobile: str
    shows_mobile: bool


def my_entry(user_id: int) -> MyDirectoryEntry:
    """The person's own entry as they edit it (their mobile even when hidden from others)."""
    entry = DirectoryEntry.objects.filter(user_id=user_id).first()
    if entry is None:
        return MyDirectoryEntry(position="", office_phone="", mobile="", shows_mobile=False)
    return MyDirectoryEntry(
        position=entry.position,
        office_phone=entry.office_phone,
        mobile=entry.mobile,
        shows_mobile=entry.shows_mobile,
    )


def directory_tree() -> list[DirectoryDepartment]:
    """Every active department depth-first (sub-departments under their parent), each with the active
    staff holding a role there, by their order then name. Three queries whatever the city's size."""
    departments = list(Department.objects.filter(is_active=True).order_by("region__code", "name"))
    people = _people()
    by_department: dict[int, list[DirectoryPerson]] = {}
    for person in people:
        by_department.setdefault(person.department_id, []).append(person)
    children: dict[int | None, list[Department]] = {}
    active_ids = {d.pk for d in departments}
    for department in departments:
        parent = department.parent_id if department.parent_id in active_ids else None
        children.setdefault(parent, []).append(department)
    ordered: list[DirectoryDepartment] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for department in children.get(parent_id, []):
            ordered.append(
                DirectoryDepartment(
                    id=department.pk,
                    name=department.name,
                    phone=department.phone,
                    depth=depth,
                    people=by_department.get(department.pk, []),
                )
            )
            walk(department.pk, depth + 1)

    walk(None, 0)
    return ordered


def search_directory(query: str) -> list[DirectoryPerson]:
    """People whose name, name in pinyin (full or initials: zs → 张三), department, position, office
    phone or shown mobile holds ``query``; at most SEARCH_LIMIT, by department then order. A hidden
    mobile is never matched (it is blanked before matching)."""
    text = unicodedata.normalize("NFKC", query).strip().lower()[:50]
    if not text:
        return []
    pinyin = re.sub(r"[\s'’]", "", text)
    pinyin = pinyin if _PINYIN_QUERY.match(pinyin) else ""
    digits = "".join(_DIGITS.findall(text)) if re.fullmatch(r"[\d\s\-+()]+", text) else ""
    found = []
    for person in _people():
        if _matches(person, text=text, pinyin=pinyin, digits=digits):
            found.append(person)
            if len(found) >= SEARCH_LIMIT:
                break
    return found


def _matches(person: DirectoryPerson, *, text: str, pinyin: str, digits: str) -> bool:
    if any(text in value.lower() for value in (person.name, person.department_name, person.position)):
        return True
    if pinyin:
        initials, full = _name_pinyin(person.name)
        if initials.startswith(pinyin) or full.startswith(pinyin):
            return True
    if len(digits) >= 3:
        phones = (person.office_phone, person.mobile)  # the mobile is "" when hidden
        return any(digits in "".join(_DIGITS.findall(phone)) for phone in phones if phone)
    return False


@lru_cache(maxsize=20_000)
def _name_pinyin(name: str) -> tuple[str, str]:
    import pypinyin  # imported on first use: it loads its dictionaries

    parts = [p for p in pypinyin.lazy_pinyin(name.lower(), errors="ignore") if p.isalpha()]
    return "".join(p[0] for p in parts), "".join(parts)


def _people() -> list[DirectoryPerson]:
    """One row per (active staff member, active department where they hold a role)."""
    rows = (
        StaffAssignment.objects.filter(user__is_active=True, user__kind="staff", department__is_active=True)
        .order_by("department__region__code", "department__name", "user_id")
        .values_list("user_id", "user__full_name", "user__username", "department_id", "department__name")
        .distinct()
    )
    seen: set[tuple[int, int]] = set()
    pairs = []
    for user_id, full_name, username, department_id, department_name in rows:
        if (user_id, department_id) not in seen:
            seen.add((user_id, department_id))
            pairs.append((user_id, full_name or username, department_id, department_name))
    entries = {e.user_id: e for e in DirectoryEntry.objects.filter(user_id__in={p[0] for p in pairs})}
    people = []
    for user_id, name, department_id, department_name in pairs:
        entry = entries.get(user_id)
        people.append(
            DirectoryPerson(
                user_id=user_id,
                name=name,
                department_id=department_id,
                department_name=department_name,
                position=entry.position if entry else "",
                office_phone=entry.office_phone if entry else "",
                mobile=entry.mobile if entry and entry.shows_mobile else "",
            )
        )
    order = {user_id: (e.sort_order if (e := entries.get(user_id)) else 100) for user_id, *_rest in pairs}
    rank = {department_id: i for i, department_id in enumerate(dict.fromkeys(p[2] for p in pairs))}
    people.sort(key=lambda p: (rank[p.department_id], order[p.user_id], _name_pinyin(p.name)[1], p.user_id))
    return people
