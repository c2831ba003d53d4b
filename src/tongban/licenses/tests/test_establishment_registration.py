"""设立登记: the license of a newly registered company gives it a new unified social credit code (GB 32100,
unique) and takes its 成立日期 from the approval, never from what the applicant typed."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from conftest import make_staff

from tongban.applications import services as application_services
from tongban.applications.subjects import subject_of
from tongban.core.identifiers import is_valid_uscc
from tongban.licenses import services
from tongban.licenses.errors import LicenseError
from tongban.licenses.models import License, LicenseType
from tongban.licenses.providers import enterprise_licenses
from tongban.licenses.tests.factories import ENTERPRISE_ANSWERS, enterprise, submitted_application
from tongban.workflow.selectors import open_tasks_of

SHANGHAI = ZoneInfo("Asia/Shanghai")
ESTABLISHMENT_FACE = [
    {"key": "name", "label": "名称", "source": "form.organization_name"},
    {"key": "uscc", "label": "统一社会信用代码", "source": "new_uscc"},
    {"key": "legal_representative", "label": "法定代表人", "source": "form.legal_representative"},
    {"key": "established", "label": "成立日期", "source": "decision_date"},
    {"key": "address", "label": "住所", "source": "form.address"},
]
# What an applicant might type into a form that still asks: never used for a new company.
TYPED = {**ENTERPRISE_ANSWERS, "established_on": "2020-01-01"}


@pytest.fixture
def establishment_item(department, publish_item):
    item = publish_item(department, serves_legal_persons=True)
    services.ensure_seal(department_id=department.pk)
    type_id = services.ensure_license_type(
        department_id=department.pk,
        code="0001",
        name="营业执照",
        holder_kind="legal",
        validity_years=0,
        face_fields=ESTABLISHMENT_FACE,
        holder_code_source="new_uscc",
    )
    services.bind_item(item_id=item.item_id, license_type_id=type_id)
    return item


def _handle(application_id, department_id, step, role, action):
    staff = make_staff(f"{role}_{department_id}", SimpleNamespace(pk=department_id), role=role)
    [task] = [t for t in open_tasks_of(subject_of(application_id)) if t.step == step]
    application_services.handle_task(task_id=task.id, staff_id=staff.id, action=action, opinion="同意")


def _register(item, department, applicant, capture) -> License:
    """Approved on Monday 2 March 2026, closed (and the license issued) on Wednesday 4 March."""
    application_id = submitted_application(item, applicant_id=applicant.id, answers=TYPED)
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        _handle(application_id, department.pk, "accept", "clerk", "accept")
        _handle(application_id, department.pk, "review", "reviewer", "pass")
        _handle(application_id, department.pk, "decide", "approver", "approve")
    with (
        time_machine.travel(dt.datetime(2026, 3, 4, 16, 0, tzinfo=SHANGHAI), tick=False),
        capture(execute=True),
    ):
        _handle(application_id, department.pk, "close", "clerk", "close")
    return License.objects.get(application_id=application_id)


def test_a_new_company_gets_a_new_code_and_is_established_on_the_approval_date(
    establishment_item, department, django_capture_on_commit_callbacks
):
    license_row = _register(establishment_item, department, enterprise(), django_capture_on_commit_callbacks)

    code = license_row.holder_code
    assert code != TYPED["uscc"]
    assert is_valid_uscc(code)
    assert (code[:2], code[2:8]) == ("91", department.region.code[:6])  # 工商, 企业; the registrar's region
    assert license_row.assigned_uscc == code
    assert (license_row.holder_code_type, license_row.holder_name) == ("001", TYPED["organization_name"])
    face = {f["key"]: f["value"] for f in license_row.face}
    assert face["uscc"] == code
    assert face["established"] == "2026年3月2日"  # the approval, not the issue date (3月4日)
    assert license_row.issue_date == dt.date(2026, 3, 4)
    # Found under its new code by the exchange's license provider (免提交 for its next application).
    held = enterprise_licenses(code, today=dt.date(2026, 3, 5))
    assert [lic["license_id"] for lic in held["licenses"]] == [license_row.license_id]


def test_two_companies_never_share_a_code(establishment_item, department, django_capture_on_commit_callbacks):
    first = _register(establishment_item, department, enterprise(), django_capture_on_commit_callbacks)
    second = _register(
        establishment_item,
        department,
        enterprise("13800000003", "云州市禾丰商贸有限公司"),
        django_capture_on_commit_callbacks,
    )
    assert first.holder_code != second.holder_code
    assert License.objects.filter(assigned_uscc=first.holder_code).count() == 1


def test_issuing_again_keeps_the_code_first_assigned(
    establishment_item, department, django_capture_on_commit_callbacks
):
    license_row = _register(establishment_item, department, enterprise(), django_capture_on_commit_callbacks)
    assert services.issue_license_for_application(application_id=license_row.application_id) == (
        license_row.license_id
    )
    assert License.objects.get().holder_code == license_row.holder_code


def test_only_a_legal_persons_license_may_assign_a_code(department):
    with pytest.raises(LicenseError, match="只有法人证照可以赋予新的统一社会信用代码"):
        services.ensure_license_type(
            department_id=department.pk,
            code="MC01",
            name="结婚证",
            holder_kind="natural",
            validity_years=0,
            face_fields=[{"key": "holder", "label": "持证人", "source": "form.name"}],
            holder_code_source="new_uscc",
        )
    assert not LicenseType.objects.exists()
