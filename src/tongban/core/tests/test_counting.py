"""core.counting: several bounded counts in one statement."""

import pytest

from tongban.core.counting import count_all, count_one, first_rows
from tongban.core.models import CalendarDay

pytestmark = pytest.mark.django_db


@pytest.fixture
def days():
    import datetime as dt

    CalendarDay.objects.filter(date__year=2031).delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(date=dt.date(2031, 1, n), is_working_day=n % 2 == 0, name=f"d{n}") for n in range(1, 11)
    )
    return CalendarDay.objects.filter(date__year=2031)


def test_every_kind_of_source_is_counted_in_one_statement(days, django_assert_num_queries):
    working = days.filter(is_working_day=True)  # 5 rows
    resting = days.filter(is_working_day=False)  # 5 rows
    with django_assert_num_queries(1):
        counts = count_all(
            [
                first_rows(working, None),
                first_rows(resting, 3),  # stops at its limit
                (first_rows(working, 2), first_rows(resting, 4)),  # parts add up
                7,  # a number already known
                None,  # nothing to count
                first_rows(days.filter(name="none"), 10),
            ]
        )
    assert counts == [5, 3, 6, 7, 0, 0]


def test_no_query_when_nothing_is_a_queryset(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert count_all([None, 4, ()]) == [0, 4, 0]


def test_a_union_counts_its_distinct_rows(days):
    keys = first_rows(days.filter(is_working_day=True).order_by(), None)
    again = first_rows(days.filter(date__day__lte=4).order_by(), None)  # 2 of them working days
    assert count_one(keys.union(again)) == 7
