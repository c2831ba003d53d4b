"""The staff queue of a day at a hall: order, department scope (T-B3), recording attendance."""

import datetime as dt

import pytest
from conftest import PASSWORD, make_staff
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.appointments import selectors, services
from tongban.appointments.models import Appointment
from tongban.appointments.tests.conftest import MONDAY, TIMES, citizen, publish


def queue_url(hall, day=MONDAY) -> str:
    return f"{reverse('appointments:staff_queue')}?hall={hall.pk}&date={day.isoformat()}"


@pytest.fixture
def day(item, hall, clerk, other_department, publish_item):
    """Monday at the hall: two bookings for the market regulator's item (afternoon first, then
    morning) and one for the civil affairs bureau's item."""
    slots = publish(item, hall, clerk)
    civil_item = publish_item(
        other_department, hall_id=hall.pk, supports_appointment=True, appointment_daily_quota=2
    )
    civil_clerk = make_staff("civil_clerk", other_department, role="clerk")
    [civil_slot] = publish(civil_item, hall, civil_clerk, times=TIMES[:1])
    afternoon = services.book(slot_id=slots[2].id, applicant_id=citizen("citizen_wang", "王五").id)
    morning = services.book(slot_id=slots[0].id, applicant_id=citizen("citizen_zhao", "赵六").id)
    civil = services.book(slot_id=civil_slot.id, applicant_id=citizen("citizen_qian", "钱七").id)
    return morning, afternoon, civil, civil_clerk


@pytest.fixture
def clerk_client(client, clerk):
    login_staff(client, clerk)
    return client


def test_queue_lists_the_days_appointments_by_start_time(clerk_client, hall, day):
    morning, afternoon, civil, _civil_clerk = day
    body = clerk_client.get(queue_url(hall)).content.decode()
    assert "<h1>云州市锦江区政务服务中心 2026年11月23日 星期一的预约</h1>" in body
    assert f'<th scope="row">{morning.code}</th>' in body
    assert body.index(morning.code) < body.index(afternoon.code)
    assert "赵六" in body
    assert civil.code not in body  # T-B3: another department's item


def test_T_B3_queue_selector_is_scoped_to_the_departments(clerk, hall, day, django_assert_num_queries):
    morning, afternoon, civil, civil_clerk = day
    with django_assert_num_queries(3):  # the two roles' departments, then the queue
        assert [a.code for a in selectors.day_queue(clerk.id, hall_id=hall.pk, date=MONDAY)] == [
            morning.code,
            afternoon.code,
        ]
    assert [a.code for a in selectors.day_queue(civil_clerk.id, hall_id=hall.pk, date=MONDAY)] == [civil.code]


def test_T_B3_clerk_of_another_department_cannot_record_attendance(client, hall, day, time_machine):
    morning, _afternoon, _civil, civil_clerk = day
    time_machine.move_to(dt.datetime(2026, 11, 23, 1, 5, tzinfo=dt.UTC))
    login_staff(client, civil_clerk)
    assert morning.code not in client.get(queue_url(hall)).content.decode()
    response = client.post(reverse("appointments:staff_mark_attended", args=[morning.id]))
    assert response.status_code == 404
    assert Appointment.objects.get(pk=morning.id).status == "booked"


def test_clerk_records_attendance_from_the_queue(client, clerk, hall, day, time_machine):
    morning, *_rest = day
    time_machine.move_to(dt.datetime(2026, 11, 23, 1, 5, tzinfo=dt.UTC))  # Monday 9:05 in Beijing
    login_staff(client, clerk)
    response = client.post(reverse("appointments:staff_mark_attended", args=[morning.id]))
    assert response.status_code == 302
    assert response["Location"] == queue_url(hall)
    assert Appointment.objects.get(pk=morning.id).status == "attended"


def test_T_B4_citizens_and_anonymous_visitors_cannot_see_the_queue(client, zhang, hall, day):
    assert client.get(queue_url(hall)).status_code == 302
    client.login(username=zhang.username, password=PASSWORD)
    assert client.get(queue_url(hall)).status_code == 404


def test_hall_outside_the_staff_members_halls_is_a_404(clerk_client, other_hall, day):
    assert clerk_client.get(queue_url(other_hall)).status_code == 404
