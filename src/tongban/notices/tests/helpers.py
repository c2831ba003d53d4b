"""Departments and people of the notice tests: the general office, a bureau with a sub-department,
and another bureau."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from conftest import make_staff

from tongban.notices import services
from tongban.notices.types import NoticeDraft
from tongban.organizations.services import set_general_office
from tongban.organizations.tests.factories import DepartmentFactory


@dataclass
class City:
    office: Any
    market: Any
    market_branch: Any
    civil: Any
    office_publisher: Any
    market_publisher: Any
    market_reader: Any
    branch_reader: Any
    civil_reader: Any


def make_city() -> City:
    office = DepartmentFactory(name="云州市人民政府办公室", short_name="市政府办公室")
    market = DepartmentFactory(name="云州市市场监督管理局", short_name="市市场监管局")
    branch = DepartmentFactory(name="云州市市场监督管理局锦江分局", short_name="锦江分局", parent=market)
    civil = DepartmentFactory(name="云州市民政局", short_name="市民政局")
    set_general_office(office.pk)
    return City(
        office=office,
        market=market,
        market_branch=branch,
        civil=civil,
        office_publisher=make_staff("office_pub", office, "notice_publisher"),
        market_publisher=make_staff("market_pub", market, "notice_publisher"),
        market_reader=make_staff("market_reader", market, "clerk"),
        branch_reader=make_staff("branch_reader", branch, "clerk"),
        civil_reader=make_staff("civil_reader", civil, "clerk"),
    )


def publish(
    author,
    department,
    *,
    audience=(),
    citywide=False,
    receipt=True,
    title="关于做好节前安全检查的通知",
    **extra,
) -> int:
    notice_id = services.create_notice(
        actor_id=author.id,
        draft=NoticeDraft(
            title=title,
            body="各科室：\n\n请于本周五前完成安全检查。",
            department_id=department.pk,
            is_citywide=citywide,
            audience_ids=tuple(d.pk for d in audience),
            requires_receipt=receipt,
            **extra,
        ),
        idempotency_key=uuid.uuid4().hex,
    )
    services.publish_notice(actor_id=author.id, notice_id=notice_id)
    return notice_id
