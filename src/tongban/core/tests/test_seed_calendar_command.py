"""`manage.py seed_calendar`: seeds chosen years, or this and next year, and says how many days."""

import datetime as dt
import io

import chinese_calendar
import pytest
import time_machine
from django.core.management import CommandError, call_command

from tongban.core.models import CalendarDay


def seed_calendar(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_calendar", *args, stdout=out)
    return out.getvalue()


def test_seeding_a_year_prints_the_days_written(db):
    assert seed_calendar("--year", "2025") == "2025 年：写入 365 天。\n"
    assert seed_calendar("--year", "2025") == "2025 年：写入 0 天。\n"
    assert CalendarDay.objects.count() == 365


@time_machine.travel(dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC))
def test_without_a_year_it_seeds_last_this_and_next_year(db):
    assert seed_calendar() == "2024 年：写入 366 天。\n2025 年：写入 365 天。\n2026 年：写入 365 天。\n"


def test_a_next_year_not_published_yet_is_reported_not_failed(db):
    last_known = max(chinese_calendar.holidays).year
    days_in_year = (dt.date(last_known, 12, 31) - dt.date(last_known, 1, 1)).days + 1
    with time_machine.travel(dt.datetime(last_known, 11, 23, 9, 0, tzinfo=dt.UTC)):
        output = seed_calendar()
    days_last_year = (dt.date(last_known, 1, 1) - dt.date(last_known - 1, 1, 1)).days
    assert output == (
        f"{last_known - 1} 年：写入 {days_last_year} 天。\n"
        f"{last_known} 年：写入 {days_in_year} 天。\n"
        f"{last_known + 1} 年：尚无法定节假日安排，暂不导入（发布后请升级 chinesecalendar 再运行）。\n"
    )


def test_an_unknown_year_fails_with_the_reason(db):
    with pytest.raises(CommandError, match="尚无 2099 年的法定节假日安排"):
        seed_calendar("--year", "2099")
    assert CalendarDay.objects.count() == 0
