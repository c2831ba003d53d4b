"""Security-relevant events write an audit row with who, for which department, whose data, what, from
where, in which request, and the result (T-J2)."""

import datetime as dt

import pyotp
import time_machine
from conftest import PASSWORD, make_staff
from django.urls import reverse

from tongban.accounts.services import start_totp_enrolment
from tongban.accounts.tests.factories import CitizenFactory
from tongban.accounts.tests.helpers import login_staff
from tongban.applications.models import Application
from tongban.core.models import AuditEvent
from tongban.licenses.tests.factories import enterprise, submitted_application
from tongban.organizations.models import StaffAssignment

IP = "203.0.113.7"
START = dt.datetime(2026, 11, 23, 9, 0, 10, tzinfo=dt.UTC)


def rows(**filters):
    return list(
        AuditEvent.objects.filter(**filters)
        .order_by("id")
        .values_list("event", "actor_id", "object_id", "result", "reason", "ip")
    )


def test_T_J2_a_clerk_opening_a_case_writes_one_row_with_every_field(client, department, publish_item):
    holder = enterprise()
    application_id = submitted_application(publish_item(department), applicant_id=holder.id)
    clerk = make_staff("a1", department, role="clerk")
    login_staff(client, clerk)
    response = client.get(reverse("applications:staff_case", args=[application_id]), REMOTE_ADDR=IP)
    assert response.status_code == 200
    row = AuditEvent.objects.get(event="case.viewed")
    assert (row.actor_id, row.department_id, row.subject_id, row.object_type, row.object_id) == (
        clerk.id,
        department.pk,
        holder.id,
        "application",
        str(application_id),
    )
    assert (row.result, row.ip, row.request_id) == ("ok", IP, response["X-Request-ID"])
    assert row.at.utcoffset() == dt.timedelta(0)
    assert Application.objects.get(pk=application_id).applicant_id == holder.id


def test_T_J2_portal_login_failure_success_and_logout_are_audited(client, db):
    citizen = CitizenFactory(username="13800138000")
    login = reverse("accounts:login")
    client.post(login, {"phone": "13800138000", "password": "wrong-Pass-1"}, REMOTE_ADDR=IP)
    client.post(login, {"phone": "13900000000", "password": "wrong-Pass-1"}, REMOTE_ADDR=IP)
    client.post(login, {"phone": "13800138000", "password": PASSWORD}, REMOTE_ADDR=IP)
    client.post(reverse("accounts:logout"), REMOTE_ADDR=IP)
    assert rows() == [
        ("login.password", None, str(citizen.pk), "fail", "wrong", IP),
        ("login.password", None, "", "fail", "wrong", IP),
        ("login.password", citizen.pk, str(citizen.pk), "ok", "", IP),
        ("logout", citizen.pk, str(citizen.pk), "ok", "", IP),
    ]


def test_T_J2_staff_wrong_password_and_wrong_authenticator_code_are_audited(client, department):
    staff = make_staff("a1", department, role="clerk")
    with time_machine.travel(START, tick=False):
        secret = start_totp_enrolment(user_id=staff.id).secret
        client.post(
            "/staff/login/verify/", {"code": "000000"}, REMOTE_ADDR=IP
        )  # no password step yet: nothing to audit
        client.post("/staff/login/", {"username": "a1", "password": "wrong-Pass-1"}, REMOTE_ADDR=IP)
        client.post("/staff/login/", {"username": "a1", "password": PASSWORD}, REMOTE_ADDR=IP)
        wrong = f"{(int(pyotp.TOTP(secret).at(START)) + 1) % 1000000:06d}"
        client.post("/staff/login/verify/", {"code": wrong}, REMOTE_ADDR=IP)
    assert rows() == [
        ("staff_login.password", None, str(staff.id), "fail", "wrong", IP),
        ("staff_login.password", staff.id, str(staff.id), "ok", "", IP),
        ("staff_login.second_factor", None, str(staff.id), "fail", "wrong", IP),
    ]


def test_T_J2_a_citizen_on_a_staff_page_and_an_api_refusal_are_audited_as_denied(client, db):
    citizen = CitizenFactory(username="13800138000")
    client.force_login(citizen)
    assert client.get("/staff/tasks/", REMOTE_ADDR=IP).status_code == 404
    assert client.post("/api/v1/catalog/staff/items/", {}, REMOTE_ADDR=IP).status_code == 403
    assert rows() == [
        ("staff_page", citizen.pk, "/staff/tasks/", "denied", "", IP),
        ("api", citizen.pk, "/api/v1/catalog/staff/items/", "denied", "", IP),
    ]


def test_T_J2_a_role_grant_and_its_withdrawal_in_the_admin_are_audited(admin_client, department):
    staff = make_staff("b1", department, role="clerk")
    response = admin_client.post(
        reverse("admin:organizations_staffassignment_add"),
        {"user": staff.id, "department": department.pk, "role": "approver"},
        REMOTE_ADDR=IP,
    )
    assert response.status_code == 302
    grant = StaffAssignment.objects.get(user_id=staff.id, role="approver")
    admin_client.post(
        reverse("admin:organizations_staffassignment_delete", args=[grant.pk]),
        {"post": "yes"},
        REMOTE_ADDR=IP,
    )
    admin_id = AuditEvent.objects.filter(event="role.granted").values_list("actor_id", flat=True).get()
    assert rows(event__startswith="role.") == [
        ("role.granted", admin_id, str(staff.id), "ok", "approver", IP),
        ("role.revoked", admin_id, str(staff.id), "ok", "approver", IP),
    ]
    assert set(
        AuditEvent.objects.filter(event__startswith="role.").values_list("department_id", flat=True)
    ) == {department.pk}
