"""Appointment test fixtures: a hall, an item of the market regulator bookable there, its clerk, and
a clock stopped on Friday 2026-11-20 10:00 in Beijing (the slots are for Monday the 23rd)."""

import datetime as dt

import pytest
import time_machine
from conftest import PASSWORD, make_staff

from tongban.accounts.services import ensure_user
from tongban.appointments import services
from tongban.appointments.rules import Schedule
from tongban.core.calendar import CHINA_TZ, seed_year
from tongban.organizations.selectors import windows_serving
from tongban.organizations.services import WindowSpec, upsert_hall
from tongban.organizations.tests.factories import ServiceHallFactory

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=CHINA_TZ)  # a Friday
MONDAY = dt.date(2026, 11, 23)
TIMES = [(dt.time(9, 0), dt.time(10, 0)), (dt.time(10, 0), dt.time(11, 0)), (dt.time(14, 0), dt.time(15, 0))]


@pytest.fixture(autouse=True)
def _friday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _calendar(db):
    seed_year(2026)


@pytest.fixture
def hall(db):
    return ServiceHallFactory(name="云州市锦江区政务服务中心")


@pytest.fixture
def other_hall(db):
    return ServiceHallFactory(name="云州市滨江区政务服务中心")


@pytest.fixture
def item(department, hall, publish_item):
    return publish_item(department, hall_id=hall.pk, supports_appointment=True, appointment_daily_quota=10)


@pytest.fixture
def clerk(department):
    return make_staff("market_clerk", department, role="clerk")


def citizen(username: str, full_name: str = "张三"):
    return ensure_user(username=username, full_name=full_name, kind="citizen", password=PASSWORD)


@pytest.fixture
def zhang(db):
    return citizen("citizen_zhang", "张三")


@pytest.fixture
def li(db):
    return citizen("citizen_li", "李四")


def publish(item, hall, staff, *, day=MONDAY, times=TIMES):
    return services.publish_slots(
        implementation_code=item.implementation_code,
        hall_id=hall.pk,
        date=day,
        times=times,
        staff_id=staff.id,
    )


@pytest.fixture
def slots(item, hall, clerk):
    """Monday's three slots of the item: capacities 4, 3, 3 (a daily quota of 10)."""
    return publish(item, hall, clerk)


@pytest.fixture
def single_place(department, hall, clerk, publish_item):
    """A slot with one place: an item whose daily quota is 1, one slot on Monday."""
    small = publish_item(department, hall_id=hall.pk, supports_appointment=True, appointment_daily_quota=1)
    [slot] = publish(small, hall, clerk, times=TIMES[:1])
    return slot


def schedule(**overrides) -> Schedule:
    """Monday to Friday and 调休 working days, 09:00–10:00 and 14:00–15:00 in 30-minute slots, from
    Monday the 23rd: four slots a day, which share a daily quota of 10 as 3, 3, 2, 2."""
    values = {
        "weekdays": frozenset({1, 2, 3, 4, 5}),
        "on_adjusted_workdays": True,
        "time_ranges": ((dt.time(9, 0), dt.time(10, 0)), (dt.time(14, 0), dt.time(15, 0))),
        "slot_minutes": 30,
        "starts_on": MONDAY,
        "ends_on": None,
    }
    return Schedule(**(values | overrides))


def window(hall, number: str, *departments) -> int:
    """A window of ``hall`` staffed for ``departments``; its id."""
    upsert_hall(
        name=hall.name,
        region_code=hall.region.code,
        address=hall.address,
        hours=hall.hours,
        phone=hall.phone,
        windows=[
            WindowSpec(number=number, name="综合受理窗口", department_ids=tuple(d.pk for d in departments))
        ],
    )
    return next(
        w.id for w in windows_serving({departments[0].pk}) if w.hall_id == hall.pk and w.number == number
    )


def item_rule(item, staff, **overrides):
    return services.create_rule(staff_id=staff.id, item_id=item.item_id, schedule=schedule(**overrides))
