"""The applicant's pages: choose a slot, see the code, my appointments, reschedule, cancel."""

import datetime as dt

import pytest
from conftest import PASSWORD
from django.urls import reverse

from tongban.appointments import services
from tongban.appointments.models import Appointment, AppointmentSlot


@pytest.fixture
def zhang_client(client, zhang):
    client.login(username=zhang.username, password=PASSWORD)
    return client


def choose_url(item) -> str:
    return reverse("appointments:choose_slot", args=[item.implementation_code])


def test_slots_are_offered_by_day_as_radios(zhang_client, item, slots):
    body = zhang_client.get(choose_url(item)).content.decode()
    assert '<h2 id="day-1">2026年11月23日 星期一</h2>' in body
    assert f'<input id="id_slot" type="radio" name="slot" value="{slots[0].id}"' in body
    assert f'<label for="id_slot_{slots[1].id}">10:00–11:00</label>' in body
    assert "剩余 4 个名额" in body
    assert "云州市锦江区政务服务中心" in body


def test_applicant_books_a_slot_and_sees_the_code(zhang_client, zhang, item, slots):
    response = zhang_client.post(choose_url(item), {"slot": slots[1].id})
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("appointments:detail", args=[appointment.pk])
    assert (appointment.applicant_id, appointment.slot_id, appointment.status) == (
        zhang.id,
        slots[1].id,
        "booked",
    )
    assert AppointmentSlot.objects.get(pk=slots[1].id).booked_count == 1
    body = zhang_client.get(response["Location"]).content.decode()
    assert f"<h2>{appointment.code}</h2>" in body
    assert "2026年11月23日 星期一 10:00–11:00" in body
    assert f"预约成功，您的预约码是 {appointment.code}" in body


def test_no_slot_chosen_shows_the_error(zhang_client, item, slots):
    response = zhang_client.post(choose_url(item), {})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>错误：" in body
    assert '<li><a href="#id_slot">请选择预约时段</a></li>' in body
    assert Appointment.objects.count() == 0


def test_second_booking_the_same_day_is_a_409_with_the_message(zhang_client, zhang, item, slots):
    services.book(slot_id=slots[0].id, applicant_id=zhang.id)
    response = zhang_client.post(choose_url(item), {"slot": slots[2].id})
    assert response.status_code == 409
    assert "您当天已预约该事项" in response.content.decode()
    assert Appointment.objects.count() == 1


def test_item_without_appointments_has_no_booking_page(zhang_client, department, hall, publish_item):
    walk_in = publish_item(department, hall_id=hall.pk)
    assert zhang_client.get(choose_url(walk_in)).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client, item, slots):
    response = client.get(choose_url(item))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_my_appointments_then_reschedule_and_cancel(zhang_client, zhang, slots):
    booked = services.book(slot_id=slots[0].id, applicant_id=zhang.id)
    body = zhang_client.get(reverse("appointments:mine")).content.decode()
    assert (
        f'<th scope="row"><a href="{reverse("appointments:detail", args=[booked.id])}">{booked.code}</a></th>'
        in body
    )

    page = zhang_client.get(reverse("appointments:reschedule", args=[booked.id])).content.decode()
    assert f'value="{slots[0].id}"' not in page  # the current slot is not offered again
    response = zhang_client.post(reverse("appointments:reschedule", args=[booked.id]), {"slot": slots[2].id})
    moved = Appointment.objects.get(status="booked")
    assert response["Location"] == reverse("appointments:detail", args=[moved.pk])
    assert moved.slot_id == slots[2].id

    response = zhang_client.post(reverse("appointments:cancel", args=[moved.pk]))
    assert response["Location"] == reverse("appointments:mine")
    assert list(Appointment.objects.order_by("pk").values_list("status", flat=True)) == [
        "cancelled",
        "cancelled",
    ]
    assert [AppointmentSlot.objects.get(pk=s.id).booked_count for s in slots] == [0, 0, 0]


def test_T_B1_another_applicants_appointment_is_a_404(client, zhang, li, slots):
    booked = services.book(slot_id=slots[0].id, applicant_id=zhang.id)
    client.login(username=li.username, password=PASSWORD)
    assert client.get(reverse("appointments:detail", args=[booked.id])).status_code == 404
    assert client.get(reverse("appointments:reschedule", args=[booked.id])).status_code == 404
    assert client.post(reverse("appointments:cancel", args=[booked.id])).status_code == 404
    assert booked.code not in client.get(reverse("appointments:mine")).content.decode()
    assert Appointment.objects.get(pk=booked.id).status == "booked"


def test_cancelling_a_started_appointment_says_why_and_keeps_it(client, zhang, slots, time_machine):
    booked = services.book(slot_id=slots[0].id, applicant_id=zhang.id)
    time_machine.move_to(dt.datetime(2026, 11, 23, 1, 30, tzinfo=dt.UTC))  # Monday 9:30 in Beijing
    client.login(username=zhang.username, password=PASSWORD)
    response = client.post(reverse("appointments:cancel", args=[booked.id]))
    body = response.content.decode()
    assert response.status_code == 409
    assert "<title>错误：" in body
    assert "<li>预约时段已开始，不能取消或改约</li>" in body
    assert Appointment.objects.get(pk=booked.id).status == "booked"
    assert AppointmentSlot.objects.get(pk=slots[0].id).booked_count == 1
