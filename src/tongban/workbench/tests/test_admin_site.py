"""The Django admin is for superusers; catalog editors keep the catalog there until the workbench has
a page for it. Other staff and citizens get a 404 (audited); visitors go to the staff login."""

import pytest
from conftest import make_staff
from django.contrib.auth import get_user_model
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.core.models import AuditEvent

INDEX = "/admin/"


@pytest.mark.parametrize(
    "role", ["clerk", "reviewer", "approver", "supervisor", "department_admin", "city_admin"]
)
def test_staff_without_catalog_work_get_a_404_and_it_is_audited(client, department, role):
    user = make_staff("someone", department, role=role)
    login_staff(client, user)
    for path in (
        INDEX,
        reverse("admin:accounts_user_changelist"),
        reverse("admin:core_calendarday_changelist"),
    ):
        assert client.get(path).status_code == 404, path
    refused = AuditEvent.objects.filter(actor_id=user.id, event="staff_page", result="denied")
    assert list(refused.values_list("object_id", flat=True).order_by("id")) == [
        INDEX,
        reverse("admin:accounts_user_changelist"),
        reverse("admin:core_calendarday_changelist"),
    ]


def test_a_catalog_editor_reaches_the_catalog_and_nothing_else(client, editor):
    login_staff(client, editor)
    index = client.get(INDEX)
    assert index.status_code == 200
    assert [m["app_label"] for m in index.context["app_list"]] == ["catalog"]
    assert client.get(reverse("admin:catalog_serviceitemversion_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


def test_a_superuser_reaches_everything(admin_client):
    assert admin_client.get(INDEX).status_code == 200
    assert admin_client.get(reverse("admin:accounts_user_changelist")).status_code == 200


def test_a_deactivated_catalog_editor_is_out(client, editor):
    login_staff(client, editor)
    get_user_model().objects.filter(pk=editor.id).update(is_active=False)
    response = client.get(INDEX)
    assert response.status_code == 302  # the session ends with the account


def test_a_visitor_goes_to_the_staff_login(client, db):
    response = client.get(INDEX, follow=True)
    assert response.redirect_chain[-1][0] == "/staff/login/?next=/admin/"
