"""Nobody edits, deletes or switches off the audit (T-J1, T-J4, T-B6), and the Django superuser signs in
only inside a break-glass window opened on the server, which alerts the security and audit
administrators and audits every request (T-B6)."""

import datetime as dt

import pytest
from conftest import PASSWORD, make_staff
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tongban.accounts.services import ensure_user
from tongban.accounts.tests.helpers import login_staff
from tongban.core import audit
from tongban.core.models import AuditChainHead, AuditEvent, BreakGlassWindow
from tongban.notifications.models import Notification

from .test_audit_log import _seeded  # noqa: F401  (the seeded administrator roles, autouse)

PAGE = reverse("workbench:audit_log")


@pytest.fixture
def superuser(db):
    user = ensure_user(username="root", full_name="root", kind="staff", password=PASSWORD)
    get_user_model().objects.filter(pk=user.id).update(is_superuser=True, is_staff=True)
    return get_user_model().objects.get(pk=user.id)


@pytest.fixture
def sysadmin(department):
    user = make_staff("sysadmin", department, role="city_admin")
    client = Client()
    login_staff(client, user)
    return user, client


def one_row() -> AuditEvent:
    audit.record(event="login", actor_id=1, object_type="user", object_id=1)
    return AuditEvent.objects.get(event="login")


def admin_url(name: str, *args) -> str:
    return reverse(f"admin:core_auditevent_{name}", args=args)


def test_T_J1_the_admin_is_read_only_for_the_superuser_too(superuser):
    row = one_row()
    client = Client()
    login_staff(client, superuser)
    assert client.get(admin_url("change", row.pk)).status_code == 200  # read
    assert client.post(admin_url("delete", row.pk), {"post": "yes"}).status_code == 403
    assert client.post(admin_url("add"), {"event": "forged"}).status_code == 403
    client.post(admin_url("change", row.pk), {"event": "forged", "reason": "x"})
    client.post(admin_url("changelist"), {"action": "delete_selected", "_selected_action": [row.pk]})
    assert AuditEvent.objects.filter(pk=row.pk, event="login").exists()
    assert not AuditEvent.objects.filter(event="forged").exists()
    assert AuditChainHead not in admin.site._registry  # nothing to move a chain's start with


def test_T_J1_the_audit_pages_take_no_writes(department):
    auditor = make_staff("auditor", department, role="audit_admin")
    client = Client()
    login_staff(client, auditor)
    assert client.post(PAGE, {"event": "x"}).status_code == 405
    assert client.delete(reverse("workbench:audit_export")).status_code == 405


def test_T_B6_the_system_administrator_neither_reads_nor_erases_the_audit(sysadmin):
    user, client = sysadmin
    row = one_row()
    assert client.get(PAGE).status_code == 404
    assert client.get(reverse("workbench:audit_export")).status_code == 404
    assert client.post(admin_url("delete", row.pk), {"post": "yes"}).status_code in (302, 403, 404)
    assert AuditEvent.objects.filter(pk=row.pk).exists()
    refused = AuditEvent.objects.filter(event="audit_log", actor_id=user.id, result="denied")
    assert refused.count() == 2
    call_command("verify_audit")


def test_T_J4_the_system_administrator_cannot_switch_auditing_off_and_the_attempt_is_audited(
    sysadmin, settings
):
    user, client = sysadmin
    # No page, admin model or runtime setting configures the audit: the retention, checkpoint and
    # break-glass settings are environment/settings values (docs/configuration.md), not database rows.
    registered = {model._meta.label for model in admin.site._registry}
    assert not registered & {"core.AuditChainHead", "core.BreakGlassWindow"}
    assert client.get(PAGE).status_code == 404
    assert client.get(PAGE, {"settings": "off"}).status_code == 404
    assert AuditEvent.objects.filter(event="audit_log", actor_id=user.id, result="denied").count() == 2
    # Auditing still works after the attempts.
    audit.record(event="login", actor_id=user.id, object_type="user", object_id=user.id)
    assert AuditEvent.objects.filter(event="login", actor_id=user.id).exists()


@pytest.fixture
def production(settings):
    settings.TONGBAN_BREAK_GLASS_REQUIRED = True


def test_T_B6_the_superuser_is_refused_without_a_window_and_signed_out(superuser, production):
    client = Client()
    login_staff(client, superuser)
    response = client.get(admin_url("changelist"))
    assert response.status_code == 403
    refused = AuditEvent.objects.get(event="break_glass.refused")
    assert (refused.actor_id, refused.result) == (superuser.id, "denied")
    assert "_auth_user_id" not in client.session


def test_T_B6_break_glass_opens_an_audited_alerted_window_that_expires(superuser, production, department):
    security = make_staff("security", department, role="security_admin")
    auditor = make_staff("auditor", department, role="audit_admin")
    clerk = make_staff("clerk", department, role="clerk")
    call_command("break_glass", "root", reason="数据库故障排查 工单123", minutes=30)
    opened = AuditEvent.objects.get(event="break_glass.opened")
    assert opened.actor_id == superuser.id
    assert "数据库故障排查" in opened.reason
    alerted = set(
        Notification.objects.filter(title="超级用户紧急授权已开启").values_list("recipient_id", flat=True)
    )
    assert alerted == {security.id, auditor.id}
    assert clerk.id not in alerted

    client = Client()
    login_staff(client, superuser)
    assert client.get(admin_url("changelist")).status_code == 200
    assert AuditEvent.objects.filter(event="break_glass.request", actor_id=superuser.id).count() == 1

    BreakGlassWindow.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(admin_url("changelist")).status_code == 403
    assert AuditEvent.objects.filter(event="break_glass.refused", actor_id=superuser.id).exists()


def test_break_glass_needs_a_reason_a_short_window_and_a_superuser(superuser, department):
    make_staff("clerk", department, role="clerk")
    with pytest.raises(CommandError, match="原因"):
        call_command("break_glass", "root", reason=" ", minutes=30)
    with pytest.raises(CommandError, match="240"):
        call_command("break_glass", "root", reason="x", minutes=600)
    with pytest.raises(CommandError, match="超级用户"):
        call_command("break_glass", "clerk", reason="x", minutes=30)
    assert not BreakGlassWindow.objects.exists()
