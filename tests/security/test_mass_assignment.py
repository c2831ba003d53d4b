"""Nobody gives themselves a role, a department, staff status or a verification flag by adding fields
to a form or an API body (T-B5); the attempt is audited."""

from conftest import make_staff

from tongban.accounts.models import User
from tongban.accounts.services import request_phone_code
from tongban.accounts.tests.factories import CITIZEN_A_ID
from tongban.accounts.tests.helpers import login_staff
from tongban.catalog.models import ServiceItemVersion
from tongban.catalog.tests.test_api import draft_json, post_new_item
from tongban.core.models import AuditEvent
from tongban.organizations.models import StaffAssignment

PHONE = "13800138000"
SELF_GRANTS = {
    "is_staff": "on",
    "is_superuser": "on",
    "kind": "staff",
    "role": "department_admin",
    "realname_verified": "true",
    "status": "active",
}


def test_T_B5_registration_with_staff_role_department_and_verification_fields_creates_a_plain_citizen(
    client, department, outbox
):
    request_phone_code(phone=PHONE, purpose="register", client_ip="203.0.113.7")
    answers = {
        "full_name": "张三",
        "resident_id": CITIZEN_A_ID,
        "phone": PHONE,
        "password": "Lantern-river-42",
        "code": outbox[-1].params["code"],
    }
    response = client.post(
        "/account/register/citizen/", answers | SELF_GRANTS | {"department": department.pk}
    )
    assert response.status_code == 302
    user = User.objects.get(username=PHONE)
    assert (user.kind, user.is_staff, user.is_superuser, user.is_active) == ("citizen", False, False, True)
    assert user.groups.count() == 0
    assert not StaffAssignment.objects.filter(user_id=user.pk).exists()
    attempt = AuditEvent.objects.get(event="mass_assignment")
    assert (attempt.result, attempt.object_type, attempt.ip) == ("denied", "account", "127.0.0.1")
    assert attempt.reason == "department,is_staff,is_superuser,kind,realname_verified,role,status"


def test_T_B5_a_draft_put_with_status_and_department_is_refused_unchanged_and_audited(
    client, department, other_department
):
    editor = make_staff("market_editor", department)
    login_staff(client, editor)
    created = post_new_item(client, department, draft_json())
    assert created.status_code == 201
    version_id = created.json()["version_id"]
    response = client.put(
        f"/api/v1/catalog/staff/versions/{version_id}/",
        draft_json(name="改名") | {"status": "published", "department": other_department.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"department", "status"}
    version = ServiceItemVersion.objects.select_related("item").get(pk=version_id)
    assert (version.status, version.item.department_id, version.name) == (
        "draft",
        department.pk,
        draft_json()["name"],
    )
    attempt = AuditEvent.objects.get(event="mass_assignment")
    assert (attempt.result, attempt.actor_id, attempt.object_type, attempt.reason) == (
        "denied",
        editor.id,
        "api",
        "department,status",
    )
