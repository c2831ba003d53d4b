"""Helpers for license tests: a 营业执照 type bound to an item, and an application closed with approval.

``close_application`` stands in for the applications app's close service (being added by the lead): it
sets the status the way that service will, then sends ``application_closed`` on commit as it will."""

from __future__ import annotations

from conftest import PASSWORD
from django.apps import apps
from django.db import transaction
from django.utils import timezone

from tongban.accounts.services import ensure_user
from tongban.applications import services as application_services
from tongban.applications.events import application_closed
from tongban.applications.tests.factories import draft_with_materials
from tongban.licenses import services

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
    """Close the application and send ``application_closed`` on commit (run the test with
    ``django_capture_on_commit_callbacks(execute=True)``)."""
    application_model = apps.get_model("applications", "Application")
    with transaction.atomic():
        application = application_model.objects.select_for_update().get(pk=application_id)
        application.status = "closed"
        application.save(update_fields=["status"])
        closed_at = timezone.now()
        transaction.on_commit(
            lambda: application_closed.send(
                sender=application_model,
                application_id=application.pk,
                applicant_id=application.applicant_id,
                item_version_id=application.item_version_id,
                department_id=application.department_id,
                number=application.number,
                result=result,
                closed_at=closed_at,
            )
        )
