"""The calendar in the staff admin: a day saved there becomes the administrator's."""

import datetime as dt

import pytest
from django.urls import reverse

from tongban.core.calendar import add_working_days, seed_year
from tongban.core.models import CalendarDay

CHANGELIST = reverse("admin:core_calendarday_changelist")


@pytest.fixture
def year_2025(db):
    seed_year(2025)


def test_changelist_shows_a_month_with_weekdays(admin_client, year_2025):
    response = admin_client.get(CHANGELIST, {"date__year": "2025", "date__month": "10"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 31
    assert "星期三" in response.content.decode()  # 1 October 2025


def test_editing_a_day_in_the_list_marks_it_as_the_administrators(admin_client, year_2025):
    day = CalendarDay.objects.get(date=dt.date(2025, 3, 11))
    query = "?date__year=2025&date__month=3&date__day=11"
    response = admin_client.post(
        CHANGELIST + query,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": str(day.pk),
            "form-0-name": "防汛停工",
            "_save": "保存",
        },
    )
    assert response.status_code == 302
    day.refresh_from_db()
    assert (day.is_working_day, day.name, day.source) == (False, "防汛停工", "admin")
    assert add_working_days(dt.date(2025, 3, 10), 1) == dt.date(2025, 3, 12)
    assert seed_year(2025) == 0


def test_editing_a_day_cannot_move_it_to_another_date(admin_client, year_2025):
    day = CalendarDay.objects.get(date=dt.date(2025, 10, 1))
    response = admin_client.post(
        reverse("admin:core_calendarday_change", args=[day.pk]),
        {"date": "2025-10-02", "is_working_day": "on", "name": "应急值守"},
    )
    assert response.status_code == 302
    day.refresh_from_db()
    assert (day.date, day.is_working_day, day.name, day.source) == (
        dt.date(2025, 10, 1),
        True,
        "应急值守",
        "admin",
    )


def test_adding_a_day_of_an_unseeded_year(admin_client, db):
    response = admin_client.post(
        reverse("admin:core_calendarday_add"), {"date": "2030-01-02", "name": "地方假日"}
    )
    assert response.status_code == 302
    added = CalendarDay.objects.get()
    assert (added.date, added.is_working_day, added.name, added.source) == (
        dt.date(2030, 1, 2),
        False,
        "地方假日",
        "admin",
    )


def test_days_cannot_be_deleted(admin_client, year_2025):
    day = CalendarDay.objects.get(date=dt.date(2025, 10, 1))
    response = admin_client.post(reverse("admin:core_calendarday_delete", args=[day.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert CalendarDay.objects.count() == 365
