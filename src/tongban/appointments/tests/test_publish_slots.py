"""Publishing a day's time slots: who may, on which days, for which items, and how places are split."""

import datetime as dt

import pytest
from conftest import make_staff

from tongban.appointments.errors import AppointmentError
from tongban.appointments.models import AppointmentSlot
from tongban.appointments.rules import split_quota
from tongban.appointments.tests.conftest import MONDAY, TIMES, publish


def slot_rows():
    return list(
        AppointmentSlot.objects.values_list("date", "start_time", "end_time", "capacity", "booked_count")
    )


def test_daily_quota_is_split_across_the_slots_remainder_to_the_earliest(item, hall, clerk):
    slots = publish(item, hall, clerk)
    assert [(s.start_time, s.end_time, s.capacity, s.booked_count) for s in slots] == [
        (dt.time(9, 0), dt.time(10, 0), 4, 0),
        (dt.time(10, 0), dt.time(11, 0), 3, 0),
        (dt.time(14, 0), dt.time(15, 0), 3, 0),
    ]
    stored = AppointmentSlot.objects.get(start_time=dt.time(9, 0))
    assert (stored.item_id, stored.item_name, stored.hall_id, stored.date) == (
        item.item_id,
        "个体工商户营业执照核发",
        hall.pk,
        MONDAY,
    )


def test_split_quota():
    assert split_quota(10, 3) == [4, 3, 3]
    assert split_quota(9, 3) == [3, 3, 3]
    assert split_quota(5, 1) == [5]


def test_publishing_the_same_day_again_changes_nothing(item, hall, clerk):
    first = publish(item, hall, clerk)
    again = publish(item, hall, clerk, times=list(reversed(TIMES)))
    assert again == first
    assert AppointmentSlot.objects.count() == 3


def test_adding_slots_beyond_the_daily_quota_publishes_nothing(item, hall, clerk):
    publish(item, hall, clerk)
    with pytest.raises(AppointmentError, match=r"^该日已发布的预约时段加上新时段将超过每日预约名额（10个）$"):
        publish(item, hall, clerk, times=[(dt.time(15, 0), dt.time(16, 0))])
    assert AppointmentSlot.objects.count() == 3


def test_a_department_admin_may_publish(item, hall, department):
    admin = make_staff("market_admin", department, role="department_admin")
    assert len(publish(item, hall, admin)) == 3


def test_weekend_day_is_refused(item, hall, clerk):
    with pytest.raises(AppointmentError, match=r"^所选日期不是工作日，不能发布预约时段$"):
        publish(item, hall, clerk, day=dt.date(2026, 11, 21))  # Saturday
    assert slot_rows() == []


def test_statutory_holiday_is_refused_and_adjusted_working_saturday_accepted(item, hall, clerk, time_machine):
    time_machine.move_to(dt.datetime(2026, 9, 30, 10, 0, tzinfo=dt.UTC))
    with pytest.raises(AppointmentError, match="不是工作日"):
        publish(item, hall, clerk, day=dt.date(2026, 10, 5))  # Monday in the National Day holiday
    assert slot_rows() == []
    assert len(publish(item, hall, clerk, day=dt.date(2026, 10, 10))) == 3  # 调休 Saturday


@pytest.mark.parametrize("day", [dt.date(2026, 11, 20), dt.date(2026, 11, 19)], ids=["today", "yesterday"])
def test_today_and_past_days_are_refused(item, hall, clerk, day):
    with pytest.raises(AppointmentError, match=r"^只能发布明天及以后的预约时段$"):
        publish(item, hall, clerk, day=day)
    assert slot_rows() == []


def test_item_without_appointment_support_is_refused(department, hall, clerk, publish_item):
    walk_in = publish_item(department, hall_id=hall.pk)
    with pytest.raises(AppointmentError, match=r"^该事项不支持预约办理$") as refused:
        publish(walk_in, hall, clerk)
    assert refused.value.status == 400
    assert slot_rows() == []


def test_T_B3_staff_of_another_department_is_refused(item, hall, other_department):
    outsider = make_staff("civil_clerk", other_department, role="clerk")
    with pytest.raises(AppointmentError, match=r"^没有找到该事项$"):
        publish(item, hall, outsider)
    assert slot_rows() == []


def test_catalog_editor_of_the_department_is_refused(item, hall, editor):
    with pytest.raises(AppointmentError, match=r"^没有找到该事项$"):
        publish(item, hall, editor)
    assert slot_rows() == []


def test_hall_that_is_not_the_items_place_is_refused(item, clerk, other_hall):
    with pytest.raises(AppointmentError, match=r"^该事项不在所选大厅办理$"):
        publish(item, other_hall, clerk)
    assert slot_rows() == []


@pytest.mark.parametrize(
    ("times", "message"),
    [
        ([], "请至少添加一个预约时段"),
        ([(dt.time(10, 0), dt.time(9, 0))], "预约时段的结束时间须晚于开始时间"),
        ([(dt.time(9, 0), dt.time(10, 0)), (dt.time(9, 30), dt.time(10, 30))], "预约时段不能重叠"),
        (
            [(dt.time(8 + h, 0), dt.time(9 + h, 0)) for h in range(11)],
            "预约时段数不能多于每日预约名额（10个）",
        ),
    ],
    ids=["none", "backwards", "overlap", "more-than-quota"],
)
def test_bad_times_are_refused(item, hall, clerk, times, message):
    with pytest.raises(AppointmentError, match=f"^{message}$"):
        publish(item, hall, clerk, times=times)
    assert slot_rows() == []
