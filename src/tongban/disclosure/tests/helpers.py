"""The people and departments of the 主动公开 tests: a market department with its editor, 保密审查员
and 公开审核领导 (and one person holding both review roles), the general office's 政务公开管理员, and an
outsider department with its editor."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from conftest import make_staff
from django.utils import timezone

from tongban.disclosure import services
from tongban.disclosure.roles import (
    DISCLOSURE_ADMIN,
    DISCLOSURE_APPROVER,
    DISCLOSURE_EDITOR,
    DISCLOSURE_SECRECY_REVIEWER,
)
from tongban.disclosure.rules import ItemFields
from tongban.organizations.services import assign_role
from tongban.organizations.tests.factories import DepartmentFactory
from tongban.workflow import selectors as workflow_selectors

# A valid resident ID (GB 11643 checksum), the T-I2 example.
RESIDENT_ID = "110101199003074514"
_keys = itertools.count()


@dataclass
class City:
    market: Any
    editor: Any
    reviewer: Any
    approver: Any
    both: Any  # holds both review roles
    office: Any
    admin: Any
    other: Any
    outsider: Any


def city() -> City:
    market = DepartmentFactory(name="云州市市场监督管理局", short_name="市市场监管局")
    office = DepartmentFactory(name="云州市人民政府办公室", short_name="市政府办")
    other = DepartmentFactory(name="云州市教育局", short_name="市教育局")
    both = make_staff("both_reviews", market, DISCLOSURE_SECRECY_REVIEWER)
    assign_role(user_id=both.id, department_id=market.pk, role=DISCLOSURE_APPROVER)
    return City(
        market=market,
        editor=make_staff("market_disclosure_editor", market, DISCLOSURE_EDITOR),
        reviewer=make_staff("market_disclosure_reviewer", market, DISCLOSURE_SECRECY_REVIEWER),
        approver=make_staff("market_disclosure_approver", market, DISCLOSURE_APPROVER),
        both=both,
        office=office,
        admin=make_staff("office_disclosure_admin", office, DISCLOSURE_ADMIN),
        other=other,
        outsider=make_staff("education_disclosure_editor", other, DISCLOSURE_EDITOR),
    )


def fields(**changes: Any) -> ItemFields:
    values: dict[str, Any] = {
        "category": "policy",
        "policy_kind": "normative",
        "title": "云州市市场监督管理局关于规范网络餐饮服务的通知",
        "body": "各区县市场监管局：为规范网络餐饮服务经营行为，现就有关事项通知如下。",
        "document_number": "云市监发〔2026〕8号",
        "written_on": dt.date(2026, 3, 2),
        "topic": "market",
    }
    values.update(changes)
    return ItemFields(**values)


def draft(c: City, **changes: Any) -> int:
    return services.create_item(
        user_id=c.editor.id,
        department_id=c.market.pk,
        fields=fields(**changes),
        idempotency_key=f"k{next(_keys)}",
    )


def open_task(item_id: int, element_id: str) -> Any:
    from tongban.disclosure.models import DisclosureItem

    subject = DisclosureItem.objects.get(pk=item_id).subject
    return next(t for t in workflow_selectors.open_tasks_of(subject) if t.element_id == element_id)


def submit(c: City, item_id: int) -> None:
    services.handle_step(task_id=open_task(item_id, "draft").id, user_id=c.editor.id)


def secrecy_ok(c: City, item_id: int, user: Any = None) -> None:
    services.handle_step(task_id=open_task(item_id, "secrecy_review").id, user_id=(user or c.reviewer).id)


def publish(c: City, item_id: int) -> None:
    services.handle_step(task_id=open_task(item_id, "approval").id, user_id=c.approver.id)


def published(c: City, **changes: Any) -> int:
    item_id = draft(c, **changes)
    submit(c, item_id)
    secrecy_ok(c, item_id)
    publish(c, item_id)
    return item_id


def today() -> dt.date:
    return timezone.localdate()
