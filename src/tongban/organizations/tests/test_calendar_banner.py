"""The staff banner that tells administrators next year's holidays are missing from the calendar."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from conftest import make_staff
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.core.calendar import seed_year

SHANGHAI = ZoneInfo("Asia/Shanghai")
BANNER = "2026年法定节假日安排尚未导入工作日历。"


@pytest.fixture
def year_2025(db):
    seed_year(2025)


def _inbox(client, user) -> str:
    login_staff(client, user)
    response = client.get(reverse("applications:staff_inbox"))
    assert response.status_code == 200
    assert "<h1>" in response.content.decode()
    return response.content.decode()


@time_machine.travel(dt.datetime(2025, 12, 1, 9, 0, tzinfo=SHANGHAI), tick=False)
@pytest.mark.parametrize("role", ["department_admin", "city_supervisor"])
def test_administrators_see_the_banner_from_the_first_of_december(client, department, year_2025, role):
    assert BANNER in _inbox(client, make_staff("admin_a", department, role=role))


@time_machine.travel(dt.datetime(2025, 12, 1, 9, 0, tzinfo=SHANGHAI), tick=False)
def test_other_staff_do_not_see_the_banner(client, department, year_2025):
    assert BANNER not in _inbox(client, make_staff("clerk_a", department, role="clerk"))


@time_machine.travel(dt.datetime(2025, 11, 30, 9, 0, tzinfo=SHANGHAI), tick=False)
def test_no_banner_before_december(client, department, year_2025):
    assert "法定节假日安排尚未导入" not in _inbox(
        client, make_staff("admin_a", department, role="department_admin")
    )


@time_machine.travel(dt.datetime(2025, 12, 1, 9, 0, tzinfo=SHANGHAI), tick=False)
def test_no_banner_once_next_year_is_seeded(client, department, year_2025):
    seed_year(2026)
    assert "法定节假日安排尚未导入" not in _inbox(
        client, make_staff("admin_a", department, role="department_admin")
    )
