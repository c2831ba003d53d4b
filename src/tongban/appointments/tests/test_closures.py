"""停止预约: closing a day cancels its bookings with the reason and tells their applicants (after
commit); the job publishes nothing on it; reopening publishes it again."""

import datetime as dt

import pytest
from conftest import make_staff

from tongban.appointments import selectors, services
from tongban.appointments.errors import AppointmentConflictError, AppointmentError
from tongban.appointments.events import appointment_cancelled_by_hall
from tongban.appointments.models import Appointment, AppointmentClosure, AppointmentSlot
from tongban.appointments.tests.conftest import MONDAY, citizen, item_rule
from tongban.appointments.types import PublishReport

T = dt.time
TUESDAY = MONDAY + dt.timedelta(days=1)
REASON = "大厅电力检修，暂停办理"


@pytest.fixture
def announced():
    """What the signal carried, for each booking staff cancelled."""
    sent: list[dict] = []

    def record(sender, **kwargs):
        sent.append({key: value for key, value in kwargs.items() if key != "signal"})

    appointment_cancelled_by_hall.connect(record)
    yield sent
    appointment_cancelled_by_hall.disconnect(record)


@pytest.fixture
def bookings(item, clerk, zhang, li):
    """The rule published; 张三 booked Monday 9:00 and 李四 Monday 14:30; 王五 Tuesday 9:00."""
    item_rule(item, clerk)

    def slot(day, start):
        return AppointmentSlot.objects.get(date=day, start_time=start).pk

    return (
        services.book(slot_id=slot(MONDAY, T(9, 0)), applicant_id=zhang.id),
        services.book(slot_id=slot(MONDAY, T(14, 30)), applicant_id=li.id),
        services.book(slot_id=slot(TUESDAY, T(9, 0)), applicant_id=citizen("citizen_wang", "王五").id),
    )


def monday_rows(item) -> list[tuple]:
    return list(
        AppointmentSlot.objects.filter(item_id=item.item_id, date=MONDAY)
        .order_by("start_time")
        .values_list("start_time", "capacity", "booked_count")
    )


def statuses() -> list[tuple[str, str]]:
    return list(Appointment.objects.order_by("pk").values_list("status", "cancel_reason"))


def test_closing_a_day_cancels_its_bookings_and_tells_the_applicants(
    item, clerk, zhang, bookings, announced, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        closed = services.close_day(
            staff_id=clerk.id, item_id=item.item_id, date=MONDAY, reason=f"  {REASON} "
        )
    assert closed.cancelled == 2
    assert statuses() == [("cancelled", REASON), ("cancelled", REASON), ("booked", "")]
    # Booked once: kept with no place, so the cancelled appointments keep their slot; the others go.
    assert monday_rows(item) == [(T(9, 0), 0, 0), (T(14, 30), 0, 0)]
    closure = AppointmentClosure.objects.get()
    assert (
        closure.item_name,
        closure.date,
        closure.reason,
        closure.cancelled_count,
        closure.created_by_id,
    ) == (
        "个体工商户营业执照核发",
        MONDAY,
        REASON,
        2,
        clerk.id,
    )
    first = announced[0]
    assert first == {
        "appointment_id": bookings[0].id,
        "applicant_id": zhang.id,
        "code": bookings[0].code,
        "item_name": "个体工商户营业执照核发",
        "hall_name": "云州市锦江区政务服务中心",
        "date": MONDAY,
        "start_time": T(9, 0),
        "end_time": T(9, 30),
        "reason": REASON,
    }
    assert [a["appointment_id"] for a in announced] == [bookings[0].id, bookings[1].id]


def test_nothing_is_announced_when_the_transaction_rolls_back(item, clerk, bookings, announced):
    # Under the plain db fixture on-commit callbacks never run: the signal waits for a commit.
    services.close_day(staff_id=clerk.id, item_id=item.item_id, date=MONDAY, reason=REASON)
    assert announced == []


def test_the_job_publishes_nothing_on_a_closed_day_and_reopening_publishes_it(item, clerk, bookings):
    services.close_day(staff_id=clerk.id, item_id=item.item_id, date=MONDAY, reason=REASON)
    assert services.publish_ahead() == PublishReport()
    assert monday_rows(item) == [(T(9, 0), 0, 0), (T(14, 30), 0, 0)]
    assert [s.date for s in selectors.available_slots(item.implementation_code, from_date=MONDAY)][:1] == [
        TUESDAY
    ]

    [closure] = selectors.closures_for(clerk.id, from_date=MONDAY)
    assert services.reopen_day(staff_id=clerk.id, closure_id=closure.pk) == PublishReport(
        created=2, changed=2
    )
    assert monday_rows(item) == [(T(9, 0), 3, 0), (T(9, 30), 3, 0), (T(14, 0), 2, 0), (T(14, 30), 2, 0)]
    assert statuses()[:2] == [("cancelled", REASON), ("cancelled", REASON)]  # they stay cancelled
    assert AppointmentClosure.objects.count() == 0


def test_closing_all_items_of_the_department_at_the_hall(
    item, hall, clerk, department, other_department, publish_item, bookings
):
    other = publish_item(department, hall_id=hall.pk, supports_appointment=True, appointment_daily_quota=2)
    item_rule(other, clerk)
    civil_item = publish_item(
        other_department, hall_id=hall.pk, supports_appointment=True, appointment_daily_quota=2
    )
    civil_clerk = make_staff("civil_clerk", other_department, role="clerk")
    item_rule(civil_item, civil_clerk)

    closed = services.close_day(
        staff_id=clerk.id, department_id=department.pk, hall_id=hall.pk, date=MONDAY, reason=REASON
    )
    assert closed.cancelled == 2
    monday = AppointmentSlot.objects.filter(date=MONDAY, capacity__gt=0)
    assert set(monday.values_list("item_id", flat=True)) == {civil_item.item_id}  # T-B3
    assert services.publish_ahead() == PublishReport()
    assert AppointmentClosure.objects.get().item_id is None


def test_T_B3_staff_of_another_department_cannot_close_the_day(item, bookings, other_department):
    outsider = make_staff("civil_clerk", other_department, role="clerk")
    with pytest.raises(AppointmentError, match=r"^没有找到该事项$"):
        services.close_day(staff_id=outsider.id, item_id=item.item_id, date=MONDAY, reason=REASON)
    with pytest.raises(AppointmentError, match=r"^没有找到该大厅的可预约事项$"):
        services.close_day(
            staff_id=outsider.id,
            department_id=item_department(item),
            hall_id=hall_of(item),
            date=MONDAY,
            reason=REASON,
        )
    assert statuses() == [("booked", "")] * 3
    assert AppointmentClosure.objects.count() == 0


def item_department(item) -> int:
    return AppointmentSlot.objects.filter(item_id=item.item_id).values_list("department_id", flat=True)[0]


def hall_of(item) -> int:
    return AppointmentSlot.objects.filter(item_id=item.item_id).values_list("hall_id", flat=True)[0]


@pytest.mark.parametrize(
    ("day", "reason", "message"),
    [
        (MONDAY, "  ", "请填写停止预约的原因"),
        (MONDAY, "检" * 201, "原因须不超过200个字"),
        (dt.date(2026, 11, 19), REASON, "只能停止今天及以后的预约"),
    ],
    ids=["blank-reason", "long-reason", "yesterday"],
)
def test_a_closure_needs_a_reason_and_a_day_not_past(item, clerk, bookings, day, reason, message):
    with pytest.raises(AppointmentError, match=f"^{message}$"):
        services.close_day(staff_id=clerk.id, item_id=item.item_id, date=day, reason=reason)
    assert statuses() == [("booked", "")] * 3
    assert AppointmentClosure.objects.count() == 0


def test_a_day_closed_for_all_items_cannot_be_closed_again_for_one(item, hall, clerk, department, bookings):
    services.close_day(
        staff_id=clerk.id, department_id=department.pk, hall_id=hall.pk, date=MONDAY, reason=REASON
    )
    with pytest.raises(AppointmentConflictError, match=r"^该日已停止预约$") as refused:
        services.close_day(staff_id=clerk.id, item_id=item.item_id, date=MONDAY, reason="另一个原因")
    assert refused.value.status == 409
    assert list(AppointmentClosure.objects.values_list("reason", flat=True)) == [REASON]


def test_closing_today_keeps_the_bookings_that_have_started(item, clerk, bookings, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC))  # Monday 10:00 in Beijing
    closed = services.close_day(staff_id=clerk.id, item_id=item.item_id, date=MONDAY, reason=REASON)
    assert closed.cancelled == 1  # 14:30; 9:00 has started and is the hall's to record
    assert statuses() == [("booked", ""), ("cancelled", REASON), ("booked", "")]
    assert monday_rows(item) == [(T(9, 0), 3, 1), (T(14, 30), 0, 0)]


def test_today_cannot_be_reopened(item, clerk, bookings, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC))
    closed = services.close_day(staff_id=clerk.id, item_id=item.item_id, date=MONDAY, reason=REASON)
    with pytest.raises(AppointmentConflictError, match=r"^今天及以前的停止预约不能撤销$"):
        services.reopen_day(staff_id=clerk.id, closure_id=closed.closure_id)
    assert AppointmentClosure.objects.count() == 1


def test_T_B3_another_departments_closure_cannot_be_reopened(item, clerk, bookings, other_department):
    closed = services.close_day(staff_id=clerk.id, item_id=item.item_id, date=MONDAY, reason=REASON)
    outsider = make_staff("civil_clerk", other_department, role="clerk")
    with pytest.raises(AppointmentError, match=r"^没有找到该停止预约日$"):
        services.reopen_day(staff_id=outsider.id, closure_id=closed.closure_id)
    assert selectors.get_closure_for(outsider.id, closed.closure_id) is None
    assert AppointmentClosure.objects.count() == 1
