"""人员管理 pages: who reaches them, what the list shows, the forms' errors (UX.md), the one-time password
page and the confirmation pages."""

import re

import pytest
from conftest import PASSWORD, make_staff
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tongban.accounts.selectors import totp_enrolment
from tongban.accounts.services import ensure_user, start_totp_enrolment
from tongban.accounts.tests.helpers import login_staff
from tongban.core.models import AuditEvent
from tongban.organizations.models import StaffAssignment

User = get_user_model()
LIST = reverse("organizations:staff_list")
CREATE = reverse("organizations:staff_create")


def detail(user):
    return reverse("organizations:staff_detail", args=[user.id])


def names_listed(response) -> list[str]:
    return re.findall(
        r'<th scope="row"><a href="/staff/people/\d+/">([^<]+)</a></th>', response.content.decode()
    )


def summary(response) -> list[str]:
    return re.findall(r'<li><a href="#[\w-]+">([^<]+)</a></li>', response.content.decode())


@pytest.fixture
def admin(department):
    return make_staff("dept_admin", department, role="department_admin")


@pytest.fixture
def as_admin(client, admin):
    login_staff(client, admin)
    return client


@pytest.fixture
def clerk(department):
    return make_staff("clerk", department, role="clerk")


@pytest.fixture
def stranger(other_department):
    return make_staff("stranger", other_department, role="clerk")


def test_people_pages_are_404_for_staff_who_administer_no_department(client, clerk, admin):
    login_staff(client, clerk)
    for url in (
        LIST,
        CREATE,
        detail(admin),
        reverse("organizations:staff_deactivate", args=[admin.id]),
        reverse("organizations:staff_new_password", args=[admin.id]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("organizations:staff_deactivate", args=[admin.id])).status_code == 404
    assert User.objects.get(pk=admin.id).is_active


def test_a_citizen_gets_404_and_a_visitor_the_staff_login(client, admin):
    assert client.get(LIST).url == "/staff/login/?next=/staff/people/"
    citizen = ensure_user(username="13800000009", full_name="王五", kind="citizen", password=PASSWORD)
    client.force_login(User.objects.get(pk=citizen.id))
    assert client.get(LIST).status_code == 404
    assert client.get(detail(admin)).status_code == 404


def test_the_list_shows_my_departments_staff_and_nobody_else_s(as_admin, clerk, stranger, other_department):
    response = as_admin.get(LIST)
    assert response.status_code == 200
    assert names_listed(response) == ["clerk", "dept_admin"]
    assert "stranger" not in response.content.decode()
    # Another department as a filter finds nobody (T-B2), and so does its role.
    assert names_listed(as_admin.get(LIST, {"department": other_department.pk})) == []
    assert names_listed(as_admin.get(LIST, {"q": "stranger"})) == []
    assert names_listed(as_admin.get(LIST, {"department": "99999999999999999999"})) == ["clerk", "dept_admin"]


def test_the_list_searches_by_name_and_user_name_and_filters_by_role_and_status(as_admin, department):
    wang = make_staff("wang.fang", department, role="approver")
    User.objects.filter(pk=wang.id).update(full_name="王芳", is_active=False)
    make_staff("li.na", department, role="clerk")
    assert names_listed(as_admin.get(LIST, {"q": "王"})) == ["王芳"]
    assert names_listed(as_admin.get(LIST, {"q": "li."})) == ["li.na"]
    assert names_listed(as_admin.get(LIST, {"role": "clerk"})) == ["li.na"]
    assert names_listed(as_admin.get(LIST, {"status": "inactive"})) == ["王芳"]
    assert names_listed(as_admin.get(LIST, {"status": "active"})) == ["dept_admin", "li.na"]
    assert "共 1 人" in as_admin.get(LIST, {"status": "inactive"}).content.decode()


def test_a_city_admin_lists_the_staff_of_every_department(client, clerk, stranger, other_department):
    city = make_staff("city", other_department, role="city_admin")
    ensure_user(username="newcomer", full_name="新人", kind="staff", password=PASSWORD)  # no role yet
    login_staff(client, city)
    assert names_listed(client.get(LIST)) == ["city", "clerk", "stranger", "新人"]
    assert names_listed(client.get(LIST, {"department": other_department.pk})) == ["city", "stranger"]


def test_the_person_page_of_someone_out_of_reach_is_404(as_admin, stranger):
    assert as_admin.get(detail(stranger)).status_code == 404
    assert as_admin.get("/staff/people/9223372036854775808/").status_code == 404


def test_a_new_account_with_wrong_answers_shows_every_problem_and_keeps_the_answers(as_admin, department):
    response = as_admin.post(
        CREATE, {"username": "王小芳", "full_name": "", "phone": "139", "department": str(department.pk)}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>错误：添加人员" in page
    assert summary(response) == [
        "用户名须以小写字母开头，只能包含小写字母、数字、下划线、点和连字符",
        "请输入姓名",
        "手机号码应为以1开头的11位数字",
        "请至少选择一个岗位",
    ]
    assert '<a href="#id_roles_0">请至少选择一个岗位</a>' in page
    assert 'value="王小芳"' in page
    assert 'value="139"' in page
    assert User.objects.count() == 1


def test_a_created_account_s_password_is_shown_once_and_never_cached(as_admin, admin, department):
    response = as_admin.post(
        CREATE,
        {
            "username": "wang.fang",
            "full_name": "王芳",
            "phone": "",
            "department": str(department.pk),
            "roles": ["clerk", "reviewer"],
        },
    )
    assert response.status_code == 200
    password = re.search(r'<code class="one-time-password">([^<]+)</code>', response.content.decode())[1]
    user = User.objects.get(username="wang.fang")
    assert user.check_password(password)
    assert "no-store" in response["Cache-Control"]
    assert 'hx-history="false"' in response.content.decode()
    assert password not in as_admin.get(detail(user)).content.decode()
    assert sorted(StaffAssignment.objects.filter(user_id=user.pk).values_list("role", flat=True)) == [
        "clerk",
        "reviewer",
    ]
    assert list(AuditEvent.objects.order_by("id").values_list("event", "actor_id", "reason")) == [
        ("account.created", admin.id, ""),
        ("role.granted", admin.id, "clerk"),
        ("role.granted", admin.id, "reviewer"),
    ]


def test_a_department_admin_is_offered_only_their_departments_and_department_roles(
    as_admin, other_department
):
    page = as_admin.get(CREATE).content.decode()
    assert other_department.name not in page
    assert "受理人员" in page
    assert "全市系统管理员" not in page
    assert "全市电子监察" not in page


def test_granting_a_role_on_the_person_page(as_admin, clerk, department):
    url = reverse("organizations:staff_grant", args=[clerk.id])
    refused = as_admin.post(url, {"department": str(department.pk), "role": ""})
    assert refused.status_code == 400
    assert summary(refused) == ["请选择岗位"]
    assert "<title>错误：clerk" in refused.content.decode()
    response = as_admin.post(url, {"department": str(department.pk), "role": "reviewer"}, follow=True)
    assert response.redirect_chain == [(detail(clerk), 302)]
    assert "已授予岗位：审核人员" in response.content.decode()
    assert sorted(StaffAssignment.objects.filter(user_id=clerk.id).values_list("role", flat=True)) == [
        "clerk",
        "reviewer",
    ]


def test_withdrawing_a_role_asks_first(as_admin, clerk, department):
    StaffAssignment.objects.create(user_id=clerk.id, department_id=department.pk, role="reviewer")
    url = reverse("organizations:staff_withdraw", args=[clerk.id])
    page = as_admin.get(url, {"department": department.pk, "role": "reviewer"})
    assert page.status_code == 200
    assert "撤销后，clerk将不能再以“锦江区市场监管局 审核人员”的身份办理事务。" in page.content.decode()
    assert as_admin.get(url, {"department": department.pk, "role": "approver"}).status_code == 404
    response = as_admin.post(url, {"department": department.pk, "role": "reviewer"}, follow=True)
    assert response.redirect_chain == [(detail(clerk), 302)]
    assert list(StaffAssignment.objects.filter(user_id=clerk.id).values_list("role", flat=True)) == ["clerk"]
    # The last role: refused on the same page with its reason.
    refused = as_admin.post(url, {"department": department.pk, "role": "clerk"})
    assert refused.status_code == 400
    assert summary(refused) == ["这是该人员唯一的岗位，不能撤销。如该人员已离职，请停用其账户。"]
    assert list(StaffAssignment.objects.filter(user_id=clerk.id).values_list("role", flat=True)) == ["clerk"]


def test_a_deactivated_leaver_s_open_session_ends(client, admin, clerk):
    login_staff(client, clerk)
    assert client.get("/staff/tasks/").status_code == 200
    admin_browser = Client()
    login_staff(admin_browser, admin)
    url = reverse("organizations:staff_deactivate", args=[clerk.id])
    assert "停用后，该人员不能再登录" in admin_browser.get(url).content.decode()
    response = admin_browser.post(url, follow=True)
    assert "已停用账户" in response.content.decode()
    assert client.get("/staff/tasks/").url == "/staff/login/?next=/staff/tasks/"
    assert client.post("/staff/login/", {"username": "clerk", "password": PASSWORD}).status_code == 400


def test_a_new_password_is_shown_once_after_a_confirmation(as_admin, clerk):
    url = reverse("organizations:staff_new_password", args=[clerk.id])
    assert "原密码立即失效" in as_admin.get(url).content.decode()
    response = as_admin.post(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = re.search(r'<code class="one-time-password">([^<]+)</code>', response.content.decode())[1]
    assert User.objects.get(pk=clerk.id).check_password(password)


def test_resetting_an_authenticator_from_the_person_page(as_admin, clerk):
    start_totp_enrolment(user_id=clerk.id)
    url = reverse("organizations:staff_reset_authenticator", args=[clerk.id])
    response = as_admin.post(url, follow=True)
    assert "已重置身份验证器" in response.content.decode()
    assert totp_enrolment(clerk.id) is None
    refused = as_admin.post(url)
    assert refused.status_code == 409
    assert summary(refused) == ["该人员还没有绑定身份验证器，下次登录时会提示绑定"]


def test_my_own_page_offers_no_changes(as_admin, admin):
    page = as_admin.get(detail(admin)).content.decode()
    assert "这是您本人的账户" in page
    assert "授予岗位" not in page
    assert "停用账户" not in page
    assert as_admin.post(reverse("organizations:staff_deactivate", args=[admin.id])).status_code == 400
    assert User.objects.get(pk=admin.id).is_active


def test_someone_with_roles_elsewhere_has_no_account_actions_for_a_department_admin(
    as_admin, clerk, other_department
):
    StaffAssignment.objects.create(user_id=clerk.id, department_id=other_department.pk, role="reviewer")
    page = as_admin.get(detail(clerk)).content.decode()
    assert "该人员在您管理范围以外的部门另有岗位，其账户只能由全市系统管理员修改" in page
    assert "重设密码" not in page
    assert f"在其他部门的岗位（由该部门的管理员管理）：{other_department.short_name} 审核人员" in page


def test_T_B5_extra_fields_on_the_people_forms_are_ignored_and_audited(as_admin, admin, clerk, department):
    as_admin.post(
        CREATE,
        {
            "username": "wang.fang",
            "full_name": "王芳",
            "department": str(department.pk),
            "roles": ["clerk"],
            "is_superuser": "on",
            "kind": "citizen",
        },
        REMOTE_ADDR="203.0.113.7",
    )
    as_admin.post(
        reverse("organizations:staff_grant", args=[clerk.id]),
        {"department": str(department.pk), "role": "reviewer", "is_staff": "on"},
        REMOTE_ADDR="203.0.113.7",
    )
    created = User.objects.get(username="wang.fang")
    assert (created.is_superuser, created.kind) == (False, "staff")
    assert not User.objects.get(pk=clerk.id).is_superuser
    assert list(
        AuditEvent.objects.filter(event="mass_assignment")
        .order_by("id")
        .values_list("actor_id", "result", "reason", "ip")
    ) == [
        (admin.id, "denied", "is_superuser,kind", "203.0.113.7"),
        (admin.id, "denied", "is_staff", "203.0.113.7"),
    ]
