"""The people, regions and departments of the 12345 tests: a 12345 centre with a 派单员 and a
话务员, two district 市场监管局 with their 承办人员, a city department, routing rules for 市场监管 per
district, and citizens."""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from typing import Any

from conftest import make_staff
from django.apps import apps as django_apps

from tongban.accounts.services.users import ensure_user
from tongban.hotline import services
from tongban.hotline.models import Category, RoutingRule, WorkOrder
from tongban.hotline.roles import HOTLINE_AGENT, HOTLINE_DISPATCHER, HOTLINE_HANDLER
from tongban.organizations.tests.factories import DepartmentFactory, RegionFactory

# Monday 2 March 2026, 09:00 Beijing time: a week without holidays.
MONDAY = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
PASSWORD = "Test-password-123"


def seed() -> None:
    """The data migration's rows (roles, categories, limits), also after a flush (PostgreSQL runs)."""
    importlib.import_module("tongban.hotline.migrations.0002_seed_roles_categories_limits").seed(
        django_apps, None
    )


@dataclass
class City:
    city: Any
    jinjiang: Any
    qingshan: Any
    donghu: Any
    centre: Any
    jinjiang_market: Any
    qingshan_market: Any
    city_urban: Any
    dispatcher: Any
    agent: Any
    jinjiang_handler: Any
    qingshan_handler: Any
    urban_handler: Any
    citizen: Any
    other_citizen: Any

    def category(self, code: str) -> Category:
        return Category.objects.get(code=code)


def make_city() -> City:
    seed()
    city = RegionFactory()
    jinjiang = RegionFactory(code="990102000000", name="锦江区", level="district", parent=city)
    qingshan = RegionFactory(code="990103000000", name="青山区", level="district", parent=city)
    donghu = RegionFactory(code="990102001000", name="东湖街道", level="town", parent=jinjiang)
    centre = DepartmentFactory(name="云州市政务服务和数据管理局", short_name="市政数局", region=city)
    jinjiang_market = DepartmentFactory(
        name="云州市锦江区市场监督管理局", short_name="锦江区市场监管局", region=jinjiang
    )
    qingshan_market = DepartmentFactory(
        name="云州市青山区市场监督管理局", short_name="青山区市场监管局", region=qingshan
    )
    city_urban = DepartmentFactory(name="云州市城市管理和综合执法局", short_name="市城管局", region=city)
    market = Category.objects.get(code="market")
    RoutingRule.objects.create(category=market, region=jinjiang, lead_department=jinjiang_market)
    RoutingRule.objects.create(category=market, region=qingshan, lead_department=qingshan_market)
    RoutingRule.objects.create(
        category=Category.objects.get(code="urban_management"), lead_department=city_urban
    )
    return City(
        city=city,
        jinjiang=jinjiang,
        qingshan=qingshan,
        donghu=donghu,
        centre=centre,
        jinjiang_market=jinjiang_market,
        qingshan_market=qingshan_market,
        city_urban=city_urban,
        dispatcher=make_staff("dispatcher", centre, HOTLINE_DISPATCHER),
        agent=make_staff("agent", centre, HOTLINE_AGENT),
        jinjiang_handler=make_staff("jinjiang_handler", jinjiang_market, HOTLINE_HANDLER),
        qingshan_handler=make_staff("qingshan_handler", qingshan_market, HOTLINE_HANDLER),
        urban_handler=make_staff("urban_handler", city_urban, HOTLINE_HANDLER),
        citizen=ensure_user(
            username="13800000011", full_name="李四", kind="citizen", password=PASSWORD, phone="13800000011"
        ),
        other_citizen=ensure_user(
            username="13800000012", full_name="赵六", kind="citizen", password=PASSWORD, phone="13800000012"
        ),
    )


COMPLAINT = "锦江区东湖路35号的超市卖过期牛奶，我买到的牛奶已经过期三天，要求商家退款并查处。"


def submit(
    c: City,
    *,
    text: str = COMPLAINT,
    region=None,
    address: str = "东湖路35号",
    key: str = "k1",
    now=MONDAY,
    **kw,
) -> int:
    fields = services.OrderFields(
        order_type=kw.pop("order_type", "complaint"),
        title=kw.pop("title", "超市销售过期牛奶"),
        content=text,
        region_id=(region or c.jinjiang).pk,
        address=address,
        name="李四",
        phone="13800000011",
        publish_consent=kw.pop("publish_consent", True),
    )
    return services.submit_order(requester_id=c.citizen.id, fields=fields, idempotency_key=key, now=now, **kw)


def dispatched(c: City, *, now=MONDAY, department=None, **kw) -> int:
    order_id = submit(c, now=now, **kw)
    services.accept(order_id=order_id, user_id=c.dispatcher.id, now=now)
    services.dispatch(
        order_id=order_id,
        user_id=c.dispatcher.id,
        choice=services.DispatchChoice(
            category_id=c.category("market").pk, lead_department_id=(department or c.jinjiang_market).pk
        ),
        now=now,
    )
    return order_id


def handling(c: City, *, now=MONDAY, **kw) -> int:
    order_id = dispatched(c, now=now, **kw)
    services.sign(order_id=order_id, user_id=c.jinjiang_handler.id, now=now + dt.timedelta(hours=1))
    return order_id


def closed(c: City, *, now=MONDAY, **kw) -> int:
    order_id = handling(c, now=now, **kw)
    services.reply(
        order_id=order_id,
        user_id=c.jinjiang_handler.id,
        text="经查，该超市确有销售过期牛奶的行为，已责令下架并立案调查，已为您办理退款。",
        now=now + dt.timedelta(days=1),
    )
    services.review(
        order_id=order_id, user_id=c.dispatcher.id, approve=True, now=now + dt.timedelta(days=1, hours=2)
    )
    return order_id


def order(order_id: int) -> WorkOrder:
    return WorkOrder.objects.get(pk=order_id)
