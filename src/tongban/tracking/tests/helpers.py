"""The people and departments of the 督办 tests: a general office with its 督查室 officer and leader,
a lead and an assisting department with their 文书人员, and an outsider."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from conftest import make_staff
from django.utils import timezone

from tongban.documents.roles import DOCUMENT_CLERK, DOCUMENT_SIGNER
from tongban.organizations.tests.factories import DepartmentFactory
from tongban.tracking import services
from tongban.tracking.roles import TRACKING_OFFICER

# A Monday in a week without holidays (the calendar falls back to Monday–Friday where unseeded).
MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@dataclass
class City:
    office: Any
    officer: Any
    leader: Any
    lead: Any
    lead_clerk: Any
    assisting: Any
    assisting_clerk: Any
    outsider_department: Any
    outsider: Any


def city() -> City:
    office = DepartmentFactory(name="云州市人民政府办公室", short_name="市政府办")
    lead = DepartmentFactory(name="云州市住房和城乡建设局", short_name="市住建局")
    assisting = DepartmentFactory(name="云州市财政局", short_name="市财政局")
    outsider_department = DepartmentFactory(name="云州市教育局", short_name="市教育局")
    return City(
        office=office,
        officer=make_staff("duchaci", office, TRACKING_OFFICER),
        leader=make_staff("mishuzhang", office, DOCUMENT_SIGNER),
        lead=lead,
        lead_clerk=make_staff("zhujian_wenshu", lead, DOCUMENT_CLERK),
        assisting=assisting,
        assisting_clerk=make_staff("caizheng_wenshu", assisting, DOCUMENT_CLERK),
        outsider_department=outsider_department,
        outsider=make_staff("jiaoyu_wenshu", outsider_department, DOCUMENT_CLERK),
    )


def fields(c: City, **changes: Any) -> services.ItemFields:
    values: dict[str, Any] = {
        "title": "老旧小区改造年度任务",
        "requirement": "按期完成年度改造任务，每周报送进度",
        "lead_department_id": c.lead.pk,
        "assisting_department_ids": (c.assisting.pk,),
        "level": "key",
        "deadline_days": 20,
        "cycle": "weekly",
        "leader_id": c.leader.id,
    } | changes
    return services.ItemFields(**values)


def opened(c: City, now: dt.datetime = MONDAY, **changes: Any) -> int:
    return services.open_item(
        user_id=c.officer.id, office_department_id=c.office.pk, fields=fields(c, **changes), now=now
    )


def assigned(c: City, now: dt.datetime = MONDAY, **changes: Any) -> int:
    item_id = opened(c, now, **changes)
    services.assign_item(item_id=item_id, user_id=c.officer.id, now=now)
    return item_id


def in_progress(c: City, now: dt.datetime = MONDAY, **changes: Any) -> int:
    item_id = assigned(c, now, **changes)
    services.sign_item(item_id=item_id, user_id=c.lead_clerk.id, now=now)
    return item_id


def closing(c: City, now: dt.datetime = MONDAY, **changes: Any) -> int:
    item_id = in_progress(c, now, **changes)
    services.request_closing(item_id=item_id, user_id=c.lead_clerk.id, result="已完成改造120个小区", now=now)
    return item_id


def days_after(start: dt.datetime, days: int) -> dt.datetime:
    return start + dt.timedelta(days=days)


def now() -> dt.datetime:
    return timezone.now()
