"""The read-only admin of appointments: scoped to the staff member's departments (T-B3), attendance
actions. The admin is for superusers (workbench.admin_site); clerks use /staff/appointments/."""

import datetime as dt

from conftest import make_staff
from django.contrib.auth import get_user_model
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.appointments import services
from tongban.appointments.models import Appointment


def superuser(user):
    """A superuser who also holds the clerk role of a department (the admin's lists follow roles)."""
    get_user_model().objects.filter(pk=user.id).update(is_superuser=True)
    return user


def test_a_clerk_does_not_reach_the_admin(client, clerk):
    login_staff(client, clerk)
    assert client.get(reverse("admin:appointments_appointment_changelist")).status_code == 404


def test_clerk_sees_only_own_department_appointments_and_cannot_edit(
    client, clerk, slots, zhang, other_department
):
    booked = services.book(slot_id=slots[0].id, applicant_id=zhang.id)
    login_staff(client, superuser(clerk))
    changelist = client.get(reverse("admin:appointments_appointment_changelist")).content.decode()
    assert booked.code in changelist
    change = client.get(reverse("admin:appointments_appointment_change", args=[booked.id]))
    assert change.status_code == 200
    assert 'name="status"' not in change.content.decode()  # read-only

    outsider = superuser(make_staff("civil_clerk", other_department, role="clerk"))
    login_staff(client, outsider)
    assert (
        booked.code not in client.get(reverse("admin:appointments_appointment_changelist")).content.decode()
    )


def test_attendance_action_goes_through_the_service(client, clerk, slots, zhang, time_machine):
    booked = services.book(slot_id=slots[0].id, applicant_id=zhang.id)
    time_machine.move_to(dt.datetime(2026, 11, 23, 1, 5, tzinfo=dt.UTC))  # Monday 9:05 in Beijing
    login_staff(client, superuser(clerk))
    client.post(
        reverse("admin:appointments_appointment_changelist"),
        {"action": "mark_attended", "_selected_action": [booked.id]},
    )
    assert Appointment.objects.get(pk=booked.id).status == "attended"
