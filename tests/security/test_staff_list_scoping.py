"""Every staff list, search, filter, count and export surface answers only the viewer's departments
(T-B2, the Open Zaak ``_zoek`` failure). A new list endpoint is added to ``staff_lists`` below."""

import datetime as dt
from urllib.parse import unquote

import pytest
import time_machine
from conftest import make_staff
from django.urls import reverse
from django.utils.http import urlencode

from tongban.accounts.services import ensure_user
from tongban.accounts.tests.helpers import login_staff
from tongban.applications.models import Application
from tongban.appointments import services as appointment_services
from tongban.core.calendar import CHINA_TZ, seed_year
from tongban.licenses.models import License
from tongban.licenses.tests.factories import (
    business_license_type,
    close_application,
    enterprise,
    submitted_application,
)
from tongban.organizations.tests.factories import DepartmentFactory, ServiceHallFactory
from tongban.sharing import services as sharing_services
from tongban.sharing import usage_log
from tongban.sharing.types import ItemData, ResourceData
from tongban.workflow.models import ProcessInstance

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=CHINA_TZ)  # a Friday
MONDAY = dt.date(2026, 11, 23)
# Admin searches for one of B's rows by its code or department: no result.
SEARCHES_FOR_B = {"预约 检索", "事项 检索"}
ROLES_OF_A = ("clerk", "reviewer", "approver", "supervisor", "department_admin", "catalog_editor")


def staff_lists(*, hall_id: int, definition_key: str, b_id: int, b_number: str, b_code: str) -> list:
    """(name, URL) of every list/search/filter/count/export surface a staff member reaches, each asked
    with B's department and B's identifiers as filters, which must be ignored or refused."""
    admin = "admin:{}_{}_changelist"
    return [
        ("待办", f"/staff/tasks/?department={b_id}"),
        ("已办", f"/staff/tasks/?tab=done&department={b_id}"),
        ("抄送我的", f"/staff/copies/?department={b_id}"),
        ("电子监察", f"/staff/supervision/?department={b_id}"),
        ("电子监察 红牌", f"/staff/supervision/?level=red&department={b_id}"),
        ("电子监察 黄牌", f"/staff/supervision/?level=yellow&department={b_id}"),
        ("流程监控", f"/staff/monitor/?department={b_id}"),
        (
            "流程监控 筛选",
            "/staff/monitor/?"
            + urlencode({"definition": definition_key, "status": "running", "department": b_id}),
        ),
        (
            "版本迁移 预览",
            "/staff/monitor/migrate/?" + urlencode({"definition": definition_key, "department": b_id}),
        ),
        ("证照", f"/staff/licenses/?department={b_id}"),
        ("当日预约", "/staff/appointments/?" + urlencode({"hall": hall_id, "date": MONDAY.isoformat()})),
        ("共享申请", f"/staff/sharing/requests/?department={b_id}"),
        ("数据使用记录", f"/staff/sharing/usage/?department={b_id}"),
        ("事项版本 检索", reverse(admin.format("catalog", "serviceitemversion")) + "?q=婚姻"),
        ("事项 检索", reverse(admin.format("catalog", "serviceitem")) + f"?department__id__exact={b_id}"),
        ("预约 检索", reverse(admin.format("appointments", "appointment")) + f"?q={b_code}"),
        (
            "预约时段",
            reverse(admin.format("appointments", "appointmentslot")) + f"?date={MONDAY.isoformat()}",
        ),
        ("审计日志 检索", reverse(admin.format("core", "auditevent")) + f"?q={b_number}"),
        ("人员管理", f"/staff/people/?department={b_id}"),
        ("差评整改", f"/staff/rectifications/?department={b_id}"),
    ]


@pytest.fixture(autouse=True)
def _friday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def department_b(db):
    return DepartmentFactory(name="云州市锦江区民政局", short_name="锦江区民政局")


def _appointment(department, hall, publish_item, staff, citizen_name: str) -> str:
    item = publish_item(department, hall_id=hall.pk, supports_appointment=True, appointment_daily_quota=10)
    [slot] = appointment_services.publish_slots(
        implementation_code=item.implementation_code,
        hall_id=hall.pk,
        date=MONDAY,
        times=[(dt.time(9, 0), dt.time(10, 0))],
        staff_id=staff.id,
    )
    citizen = ensure_user(username=citizen_name, full_name=citizen_name, kind="citizen", password="x-Pass-9")
    return appointment_services.book(slot_id=slot.id, applicant_id=citizen.id).code


def _access_request_to(department) -> str:
    sharing_services.upsert_resource(
        ResourceData(
            code="civil.marriage",
            name="婚姻登记信息",
            classification="主题信息资源/民政",
            department_id=department.pk,
            summary="婚姻登记记录",
            subject_kind="person",
            provider="registries.person",
            sharing_type="conditional",
            sharing_condition="用于依法履职",
            items=(ItemData("full_name", "姓名"),),
        )
    )
    purpose = "民政B的共享申请-仅民政可见"
    sharing_services.request_access(
        resource_code="civil.marriage",
        department_id=DepartmentFactory(name="云州市公安局").pk,
        purpose=purpose,
        item_keys=["full_name"],
        valid_from=dt.date(2026, 12, 1),
        valid_until=dt.date(2026, 12, 31),
        actor_id=None,
    )
    # A use of B's resource in the usage log: the provider page (数据使用记录) is B's to read.
    usage_log.append(
        channel="api",
        client_id=None,
        department_id=None,
        department_name="云州市公安局",
        resource_code="civil.marriage",
        resource_name="婚姻登记信息",
        subject_kind="person",
        subject_key="b-subject",
        subject_masked="4419**********1235",
        item_names=["姓名"],
        purpose=purpose,
        case_ref="",
        outcome="served",
    )
    return purpose


def test_T_B2_staff_lists_searches_and_filters_show_nothing_of_another_department(
    client, department, department_b, publish_item, django_capture_on_commit_callbacks
):
    # Given a1, holding every staff role in department A, and cases, a license, an appointment in a
    # shared hall, an access request and items that belong to department B.
    seed_year(2026)
    a1 = make_staff("a1", department, role="clerk")
    for role in ROLES_OF_A[1:]:
        make_staff("a1", department, role=role)
    b1 = make_staff("b1", department_b, role="clerk")
    own_number = _open_case(department, publish_item, "13800000011")
    open_b = _open_case(department_b, publish_item, "13800000012", name="婚姻登记（民政B）")
    licensed_item = publish_item(department_b, serves_legal_persons=True, name="婚姻登记证明（民政B）")
    business_license_type(department_b, licensed_item)
    closed_id = submitted_application(licensed_item, applicant_id=enterprise().id)
    with django_capture_on_commit_callbacks(execute=True):
        close_application(closed_id)
    b_license = License.objects.get(application_id=closed_id)
    hall = ServiceHallFactory(name="云州市锦江区政务服务中心")
    own_code = _appointment(department, hall, publish_item, a1, "citizen_of_a")
    b_code = _appointment(department_b, hall, publish_item, b1, "citizen_of_b")
    purpose = _access_request_to(department_b)
    b_markers = [open_b, b_license.number, b_code, purpose, "民政B", b_license.holder_name]
    definition_key = (
        ProcessInstance.objects.filter(department_id=department_b.pk)
        .values_list("definition__key", flat=True)
        .first()
    )
    login_staff(client, a1)

    # When a1 opens every list, search and filter, plain and as an htmx fragment, with B as the filter.
    urls = staff_lists(
        hall_id=hall.pk, definition_key=definition_key, b_id=department_b.pk, b_number=open_b, b_code=b_code
    )
    for name, url in urls:
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(url, headers=headers)
            # Then each answers (a1 is a catalog editor too, whom the admin site lets in, but not to the
            # audit log)…
            assert response.status_code == (403 if name == "审计日志 检索" else 200), (
                name,
                response.status_code,
            )
            body = response.content.decode()
            # …without a single row of B. A search box shows the term searched for: not a row of B.
            leaked = [marker for marker in b_markers if marker in body and marker not in unquote(url)]
            assert leaked == [], (name, leaked)
            changelist = response.context.get("cl") if response.context else None
            if changelist is not None and name in SEARCHES_FOR_B:
                assert changelist.result_count == 0, name
    # And the lists are not simply empty: without B as the filter, each list of A's rows shows them.
    own_subject = "application:{}".format(
        Application.objects.values_list("pk", flat=True).get(number=own_number)
    )
    a_markers = {"case": own_number, "appointment": own_code, "instance": own_subject}
    for name, url, marker in own_lists(hall_id=hall.pk):
        body = client.get(url).content.decode()
        assert a_markers[marker] in body, (name, url)


def own_lists(*, hall_id: int) -> list[tuple[str, str, str]]:
    """(name, URL, which of A's rows it lists) of the lists above that hold a row of A."""
    return [
        ("待办", "/staff/tasks/", "case"),
        ("电子监察", "/staff/supervision/", "case"),
        ("流程监控", "/staff/monitor/", "instance"),
        (
            "当日预约",
            "/staff/appointments/?" + urlencode({"hall": hall_id, "date": MONDAY.isoformat()}),
            "appointment",
        ),
    ]


def _open_case(department, publish_item, phone: str, **item_fields) -> str:
    item = publish_item(department, **item_fields)
    citizen = ensure_user(username=phone, full_name="赵六", kind="citizen", password="x-Pass-9", phone=phone)
    application_id = submitted_application(item, applicant_id=citizen.id, answers={"address": "滨江路"})
    return Application.objects.values_list("number", flat=True).get(pk=application_id)
