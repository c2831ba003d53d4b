"""Helpers for license tests: a 营业执照 type bound to an item, and an application closed with approval
through its real workflow."""

from __future__ import annotations

from types import SimpleNamespace

from conftest import PASSWORD, make_staff

from tongban.accounts.services import ensure_user
from tongban.applications import selectors as application_selectors
from tongban.applications import services as application_services
from tongban.applications.subjects import subject_of
from tongban.applications.tests.factories import draft_with_materials
from tongban.licenses import services
from tongban.workflow.selectors import open_tasks_of

BUSINESS_LICENSE_FACE = [
    {"key": "name", "label": "名称", "source": "form.organization_name"},
    {"key": "uscc", "label": "统一社会信用代码", "source": "form.uscc"},
    {"key": "type", "label": "类型", "source": "const:有限责任公司（自然人投资或控股）"},
    {"key": "legal_representative", "label": "法定代表人", "source": "form.legal_representative"},
    {"key": "scope", "label": "经营范围", "source": "form.reason"},
    {"key": "established", "label": "成立日期", "source": "issue_date"},
    {"key": "address", "label": "住所", "source": "form.address"},
]

ENTERPRISE_ANSWERS = {
    "organization_name": "云州市青禾餐饮管理有限公司",
    "uscc": "91990100MA0000001X",
    "legal_representative": "张三",
    "contact_name": "李四",
    "contact_phone": "13800000002",
    "address": "云州市锦江区滨江路18号",
    "reason": "餐饮管理；餐饮服务；食品销售",
}


def business_license_type(department, item) -> int:
    """营业执照 of ``department`` (validity 5 years), bound to ``item`` (a VersionRef), with a seal."""
    services.ensure_seal(department_id=department.pk)
    type_id = services.ensure_license_type(
        department_id=department.pk,
        code="BL01",
        name="营业执照",
        holder_kind="legal",
        validity_years=5,
        face_fields=BUSINESS_LICENSE_FACE,
    )
    services.bind_item(item_id=item.item_id, license_type_id=type_id)
    return type_id


def enterprise(username: str = "13800000002", name: str = "云州市青禾餐饮管理有限公司"):
    return ensure_user(
        username=username, full_name=name, kind="enterprise", password=PASSWORD, phone=username
    )


def submitted_application(item, *, applicant_id: int, answers: dict | None = None) -> int:
    application_id = draft_with_materials(
        applicant_id=applicant_id, item=item, answers=dict(answers or ENTERPRISE_ANSWERS)
    )
    application_services.submit_application(application_id=application_id, applicant_id=applicant_id)
    return application_id


def close_application(application_id: int, *, result: str = "approved") -> None:
    """Run the application through its real process — 受理, 审查, 决定 (准予 or 不予), 办结 — by staff of
    its department; closing sends ``application_closed`` on commit (run the test with
    ``django_capture_on_commit_callbacks(execute=True)`` for the license to be issued)."""
    department_id = application_selectors.application_ref(application_id).department_id
    decision = "approve" if result == "approved" else "deny"
    for step, role, action in (
        ("accept", "clerk", "accept"),
        ("review", "reviewer", "pass"),
        ("decide", "approver", decision),
        ("close", "clerk", "close"),
    ):
        staff = make_staff(f"{role}_{department_id}", SimpleNamespace(pk=department_id), role=role)
        [task] = [t for t in open_tasks_of(subject_of(application_id)) if t.step == step]
        application_services.handle_task(task_id=task.id, staff_id=staff.id, action=action, opinion="同意")
