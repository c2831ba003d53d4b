"""Queue fixtures: a hall with two windows of the market regulator (A01, A02) and one of another
department, an item of each, clerks, and a clock on Monday 2026-11-23 09:00 in Beijing."""

import datetime as dt

import pytest
import time_machine
from conftest import make_staff

from tongban.appointments.tests.conftest import citizen, window
from tongban.core.calendar import CHINA_TZ, seed_year
from tongban.organizations.tests.factories import DepartmentFactory, ServiceHallFactory

MONDAY_9AM = dt.datetime(2026, 11, 23, 9, 0, tzinfo=CHINA_TZ)


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(MONDAY_9AM, tick=False) as traveller:
        yield traveller


@pytest.fixture
def clock(_monday_morning):
    return _monday_morning


@pytest.fixture(autouse=True)
def _calendar(db):
    seed_year(2026)


@pytest.fixture
def hall(db):
    return ServiceHallFactory(name="云州市政务服务中心")


@pytest.fixture
def tax(department):
    return DepartmentFactory(name="云州市税务局", region=department.region)


@pytest.fixture
def windows(hall, department, tax):
    """{"A01": id, "A02": id, "B05": id}: two market windows and a tax window."""
    return {
        "A01": window(hall, "A01", department),
        "A02": window(hall, "A02", department),
        "B05": window(hall, "B05", tax),
    }


@pytest.fixture
def item(department, hall, publish_item):
    return publish_item(department, hall_id=hall.pk, supports_appointment=True, appointment_daily_quota=10)


@pytest.fixture
def tax_item(tax, hall, publish_item):
    return publish_item(tax, hall_id=hall.pk)


@pytest.fixture
def clerk(department):
    return make_staff("market_clerk", department, role="clerk")


@pytest.fixture
def tax_clerk(tax):
    return make_staff("tax_clerk", tax, role="clerk")


@pytest.fixture
def zhang(db):
    return citizen("citizen_zhang", "张三")
