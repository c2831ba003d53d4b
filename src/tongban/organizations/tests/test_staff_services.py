"""人员管理 services: who may create staff, grant and withdraw roles, give a password, reset an
authenticator and deactivate, and what each writes to the audit log."""

import pyotp
import pytest
from conftest import PASSWORD, make_staff
from django.contrib.auth import get_user_model

from tongban.accounts.errors import InvalidDetailsError
from tongban.accounts.selectors import has_confirmed_totp_device, totp_enrolment
from tongban.accounts.services import confirm_totp_enrolment, ensure_user, start_totp_enrolment
from tongban.core.models import AuditEvent
from tongban.organizations.errors import StaffConflict, StaffError, StaffNotFound
from tongban.organizations.models import StaffAssignment
from tongban.organizations.selectors import is_city_admin, staff_ids_with_role, staff_scope
from tongban.organizations.services import (
    Actor,
    create_staff,
    grant_role,
    issue_new_password,
    remove_staff_authenticator,
    set_staff_active,
    withdraw_role,
)
from tongban.organizations.tests.factories import DepartmentFactory

IP = "203.0.113.7"
User = get_user_model()


def audit_rows():
    return list(
        AuditEvent.objects.order_by("id").values_list(
            "event", "actor_id", "object_type", "object_id", "department_id", "reason", "ip", "result"
        )
    )


def roles_of(user_id):
    return sorted(StaffAssignment.objects.filter(user_id=user_id).values_list("department_id", "role"))


@pytest.fixture
def admin(department):
    return make_staff("dept_admin", department, role="department_admin")


@pytest.fixture
def city_admin(other_department):
    return make_staff("city_admin", other_department, role="city_admin")


def actor(user):
    return Actor(user_id=user.id, client_ip=IP)


def confirm_authenticator(user_id):
    """What the first login does: bind an authenticator with a code it shows."""
    secret = start_totp_enrolment(user_id=user_id).secret
    confirm_totp_enrolment(user_id=user_id, code=pyotp.TOTP(secret).now(), client_ip=IP)


def test_a_department_admin_creates_a_clerk_with_a_one_time_password(admin, department):
    created = create_staff(
        actor=actor(admin),
        username="wang.fang",
        full_name=" 王芳 ",
        phone="139 0000 1111",
        department_id=department.pk,
        roles=["clerk", "reviewer"],
    )
    user = User.objects.get(pk=created.user_id)
    assert (user.username, user.full_name, user.phone, user.kind, user.is_active) == (
        "wang.fang",
        "王芳",
        "13900001111",
        "staff",
        True,
    )
    assert user.check_password(created.password)
    assert len(created.password) == 14
    assert created.password.count("-") == 2
    assert created.password not in user.password  # only the hash is kept
    assert roles_of(user.pk) == [(department.pk, "clerk"), (department.pk, "reviewer")]
    assert not has_confirmed_totp_device(user.pk)  # bound by the clerk at the first login
    assert audit_rows() == [
        ("account.created", admin.id, "user", str(user.pk), department.pk, "", IP, "ok"),
        ("role.granted", admin.id, "user", str(user.pk), department.pk, "clerk", IP, "ok"),
        ("role.granted", admin.id, "user", str(user.pk), department.pk, "reviewer", IP, "ok"),
    ]


def test_two_created_accounts_never_get_the_same_password(admin, department):
    passwords = {
        create_staff(
            actor=actor(admin),
            username=f"clerk{n}",
            full_name="职员",
            phone="",
            department_id=department.pk,
            roles=["clerk"],
        ).password
        for n in range(3)
    }
    assert len(passwords) == 3


def test_every_wrong_answer_of_a_new_account_is_named_and_nothing_is_created(admin, other_department):
    ensure_user(username="taken", full_name="某人", kind="staff", password=PASSWORD)
    with pytest.raises(InvalidDetailsError) as refused:
        create_staff(
            actor=actor(admin),
            username="Taken",
            full_name="",
            phone="12345",
            department_id=other_department.pk,
            roles=[],
        )
    assert refused.value.field_errors == {
        "username": "用户名须以小写字母开头，只能包含小写字母、数字、下划线、点和连字符",
        "full_name": "请输入姓名",
        "phone": "手机号码应为以1开头的11位数字",
        "department": "请选择部门",
        "roles": "请至少选择一个岗位",
    }
    assert User.objects.count() == 2
    assert audit_rows() == []


def test_a_user_name_taken_in_another_case_is_refused(admin, department):
    ensure_user(username="zhang.san", full_name="张三", kind="staff", password=PASSWORD)
    with pytest.raises(InvalidDetailsError) as refused:
        create_staff(
            actor=actor(admin),
            username="zhang.san",
            full_name="张三",
            phone="",
            department_id=department.pk,
            roles=["clerk"],
        )
    assert refused.value.field_errors == {"username": "该用户名已被使用，请换一个"}
    assert not StaffAssignment.objects.filter(role="clerk").exists()


def test_a_department_admin_cannot_grant_a_city_wide_role(admin, department):
    with pytest.raises(InvalidDetailsError) as refused:
        create_staff(
            actor=actor(admin),
            username="li.si",
            full_name="李四",
            phone="",
            department_id=department.pk,
            roles=["clerk", "city_admin"],
        )
    assert refused.value.field_errors == {"roles": "只能选择列出的岗位"}
    assert not User.objects.filter(username="li.si").exists()


def test_someone_who_administers_no_department_creates_nobody(department):
    clerk = make_staff("clerk", department, role="clerk")
    with pytest.raises(StaffNotFound):
        create_staff(
            actor=actor(clerk),
            username="li.si",
            full_name="李四",
            phone="",
            department_id=department.pk,
            roles=["clerk"],
        )
    assert not User.objects.filter(username="li.si").exists()


def test_T_J2_grants_and_withdrawals_are_audited_with_who_whom_which_role_and_department(admin, department):
    clerk = make_staff("clerk", department, role="clerk")
    grant_role(actor=actor(admin), user_id=clerk.id, department_id=department.pk, role="department_admin")
    withdraw_role(actor=actor(admin), user_id=clerk.id, department_id=department.pk, role="clerk")
    assert roles_of(clerk.id) == [(department.pk, "department_admin")]
    assert audit_rows() == [
        ("role.granted", admin.id, "user", str(clerk.id), department.pk, "department_admin", IP, "ok"),
        ("role.revoked", admin.id, "user", str(clerk.id), department.pk, "clerk", IP, "ok"),
    ]


def test_T_B4_department_admin_is_not_granted_in_a_department_they_do_not_administer(
    admin, department, other_department
):
    clerk = make_staff("clerk", department, role="clerk")
    with pytest.raises(StaffError) as refused:
        grant_role(
            actor=actor(admin), user_id=clerk.id, department_id=other_department.pk, role="department_admin"
        )
    assert refused.value.field_errors == {"department": "请选择您管理的部门"}
    assert roles_of(clerk.id) == [(department.pk, "clerk")]
    assert audit_rows() == []


def test_staff_of_another_department_are_not_found(admin, other_department):
    stranger = make_staff("stranger", other_department, role="clerk")
    for change in (
        lambda: grant_role(
            actor=actor(admin), user_id=stranger.id, department_id=other_department.pk, role="reviewer"
        ),
        lambda: withdraw_role(
            actor=actor(admin), user_id=stranger.id, department_id=other_department.pk, role="clerk"
        ),
        lambda: set_staff_active(actor=actor(admin), user_id=stranger.id, active=False),
        lambda: issue_new_password(actor=actor(admin), user_id=stranger.id),
        lambda: remove_staff_authenticator(actor=actor(admin), user_id=stranger.id),
    ):
        with pytest.raises(StaffNotFound):
            change()
    assert roles_of(stranger.id) == [(other_department.pk, "clerk")]
    assert User.objects.get(pk=stranger.id).is_active
    assert User.objects.get(pk=stranger.id).check_password(PASSWORD)
    assert audit_rows() == []


def test_roles_are_never_granted_to_a_citizen(department):
    citizen = ensure_user(username="13800000001", full_name="张三", kind="citizen", password=PASSWORD)
    security_admin = make_staff("security", department, role="security_admin")
    with pytest.raises(StaffNotFound):
        grant_role(actor=actor(security_admin), user_id=citizen.id, department_id=department.pk, role="clerk")
    assert roles_of(citizen.id) == []


def test_T_B5_nobody_changes_their_own_roles_or_account(admin, city_admin, department):
    with pytest.raises(StaffError, match="您不能修改自己的账户和岗位"):
        grant_role(actor=actor(admin), user_id=admin.id, department_id=department.pk, role="clerk")
    with pytest.raises(StaffError, match="您不能修改自己的账户和岗位"):
        set_staff_active(actor=actor(city_admin), user_id=city_admin.id, active=False)
    assert roles_of(admin.id) == [(department.pk, "department_admin")]
    assert User.objects.get(pk=city_admin.id).is_active


def test_T_B4_only_the_security_admin_grants_city_wide_roles(admin, department):
    clerk = make_staff("clerk", department, role="clerk")
    with pytest.raises(StaffError) as refused:
        grant_role(actor=actor(admin), user_id=clerk.id, department_id=department.pk, role="city_supervisor")
    assert refused.value.field_errors == {"role": "只有安全管理员可以授予或撤销该岗位"}
    security_admin = make_staff("security", department, role="security_admin")
    grant_role(
        actor=actor(security_admin), user_id=clerk.id, department_id=department.pk, role="city_supervisor"
    )
    assert roles_of(clerk.id) == [(department.pk, "city_supervisor"), (department.pk, "clerk")]


def test_a_role_held_already_is_a_conflict(admin, department):
    clerk = make_staff("clerk", department, role="clerk")
    with pytest.raises(StaffConflict, match="clerk已有该部门的这个岗位"):
        grant_role(actor=actor(admin), user_id=clerk.id, department_id=department.pk, role="clerk")
    assert audit_rows() == []


def test_the_last_role_is_not_withdrawn(admin, department):
    clerk = make_staff("clerk", department, role="clerk")
    with pytest.raises(StaffError, match="这是该人员唯一的岗位"):
        withdraw_role(actor=actor(admin), user_id=clerk.id, department_id=department.pk, role="clerk")
    assert roles_of(clerk.id) == [(department.pk, "clerk")]


def test_a_role_not_held_is_not_found(admin, department):
    clerk = make_staff("clerk", department, role="clerk")
    with pytest.raises(StaffNotFound):
        withdraw_role(actor=actor(admin), user_id=clerk.id, department_id=department.pk, role="approver")


def test_deactivating_a_leaver_keeps_their_roles_but_makes_them_nobody_s_candidate(admin, department):
    clerk = make_staff("clerk", department, role="clerk")
    set_staff_active(actor=actor(admin), user_id=clerk.id, active=False)
    assert not User.objects.get(pk=clerk.id).is_active
    assert roles_of(clerk.id) == [(department.pk, "clerk")]
    assert staff_ids_with_role(department_id=department.pk, role="clerk") == []
    with pytest.raises(StaffConflict, match="该账户已停用"):
        set_staff_active(actor=actor(admin), user_id=clerk.id, active=False)
    set_staff_active(actor=actor(admin), user_id=clerk.id, active=True)
    assert staff_ids_with_role(department_id=department.pk, role="clerk") == [clerk.id]
    assert audit_rows() == [
        ("account.deactivated", admin.id, "user", str(clerk.id), department.pk, "", IP, "ok"),
        ("account.reactivated", admin.id, "user", str(clerk.id), department.pk, "", IP, "ok"),
    ]


def test_a_department_admin_leaves_accounts_with_roles_elsewhere_to_the_city_admin(
    admin, city_admin, department, other_department
):
    shared = make_staff("shared", department, role="clerk")
    StaffAssignment.objects.create(user_id=shared.id, department_id=other_department.pk, role="reviewer")
    with pytest.raises(StaffError, match="在您管理范围以外的部门另有岗位"):
        set_staff_active(actor=actor(admin), user_id=shared.id, active=False)
    with pytest.raises(StaffError, match="在您管理范围以外的部门另有岗位"):
        issue_new_password(actor=actor(admin), user_id=shared.id)
    assert User.objects.get(pk=shared.id).is_active
    # Roles in their own department they still manage.
    grant_role(actor=actor(admin), user_id=shared.id, department_id=department.pk, role="approver")
    set_staff_active(actor=actor(city_admin), user_id=shared.id, active=False)
    assert not User.objects.get(pk=shared.id).is_active
    assert [row[:5] for row in audit_rows()] == [
        ("role.granted", admin.id, "user", str(shared.id), department.pk),
        ("account.deactivated", city_admin.id, "user", str(shared.id), None),
    ]


def test_a_department_admin_cannot_touch_a_city_admin_account(admin, department):
    boss = make_staff("boss", department, role="clerk")
    StaffAssignment.objects.create(user_id=boss.id, department_id=department.pk, role="city_admin")
    with pytest.raises(StaffError, match="该人员是全市系统管理员"):
        remove_staff_authenticator(actor=actor(admin), user_id=boss.id)
    with pytest.raises(StaffError) as refused:
        withdraw_role(actor=actor(admin), user_id=boss.id, department_id=department.pk, role="city_admin")
    assert refused.value.field_errors == {"role": "只有安全管理员可以授予或撤销该岗位"}
    assert roles_of(boss.id) == [(department.pk, "city_admin"), (department.pk, "clerk")]


def test_resetting_a_lost_authenticator_makes_the_next_login_bind_a_new_one(admin, department):
    clerk = make_staff("clerk", department, role="clerk")
    confirm_authenticator(clerk.id)
    assert has_confirmed_totp_device(clerk.id)
    remove_staff_authenticator(actor=actor(admin), user_id=clerk.id)
    assert not has_confirmed_totp_device(clerk.id)
    assert totp_enrolment(clerk.id) is None
    start_totp_enrolment(user_id=clerk.id)  # what the next login does: a new secret to bind
    assert totp_enrolment(clerk.id) is not None
    assert [row[:6] for row in audit_rows() if row[0].startswith("account.")] == [
        ("account.authenticator_removed", admin.id, "user", str(clerk.id), department.pk, "")
    ]


def test_resetting_an_authenticator_nobody_bound_is_a_conflict(admin, department):
    clerk = make_staff("clerk", department, role="clerk")
    with pytest.raises(StaffConflict, match="该人员还没有绑定身份验证器"):
        remove_staff_authenticator(actor=actor(admin), user_id=clerk.id)
    assert audit_rows() == []


def test_a_new_password_replaces_the_old_one(admin, department):
    clerk = make_staff("clerk", department, role="clerk")
    issued = issue_new_password(actor=actor(admin), user_id=clerk.id)
    user = User.objects.get(pk=clerk.id)
    assert user.check_password(issued.password)
    assert not user.check_password(PASSWORD)
    assert issued.username == "clerk"
    assert audit_rows() == [
        ("account.password_issued", admin.id, "user", str(clerk.id), department.pk, "", IP, "ok")
    ]


def test_city_admin_is_a_superuser_or_a_city_admin_role_holder(department):
    superuser = User.objects.create_superuser("root", password=PASSWORD)
    holder = make_staff("city", department, role="city_admin")
    clerk = make_staff("clerk", department, role="clerk")
    assert (is_city_admin(superuser.pk), is_city_admin(holder.id), is_city_admin(clerk.id)) == (
        True,
        True,
        False,
    )
    department.is_active = False
    department.save(update_fields=["is_active"])
    assert not is_city_admin(holder.id)


def test_a_city_admin_s_scope_is_every_active_department(department, other_department):
    closed = DepartmentFactory(is_active=False)
    holder = make_staff("city", department, role="city_admin")
    scope = staff_scope(holder.id)
    assert scope.city_wide
    assert scope.department_ids == {department.pk, other_department.pk}
    assert not scope.covers(closed.pk)
    admin = make_staff("dept_admin", other_department, role="department_admin")
    assert staff_scope(admin.id).department_ids == {other_department.pk}
    assert staff_scope(make_staff("clerk", department, role="clerk").id) is None
