"""Shared set-up for 依申请公开 tests: a department with a handler and an approver, and applicants."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from tongban.accounts.services import ensure_user
from tongban.core.pdf_fonts import chinese_font
from tongban.disclosure_requests import services
from tongban.disclosure_requests.roles import REQUEST_APPROVER, REQUEST_HANDLER
from tongban.organizations.services import assign_role
from tongban.organizations.tests.factories import DepartmentFactory

PASSWORD = "Correct-horse-9-battery"
ID_NUMBER = "110101199003074477"  # a valid GB 11643 check character
PHONE = "13912345678"


@dataclass
class Setup:
    department: object
    other: object
    handler: object
    approver: object
    outsider: object
    citizen: object
    enterprise: object


def staff(username: str, department, role: str):
    user = ensure_user(username=username, full_name=username, kind="staff", password=PASSWORD)
    assign_role(user_id=user.id, department_id=department.pk, role=role)
    return user


def setup() -> Setup:
    department = DepartmentFactory(name="云州市市场监督管理局", short_name="市市场监管局")
    other = DepartmentFactory(name="云州市教育局", short_name="市教育局")
    return Setup(
        department=department,
        other=other,
        handler=staff("market_request_handler", department, REQUEST_HANDLER),
        approver=staff("market_request_approver", department, REQUEST_APPROVER),
        outsider=staff("education_request_handler", other, REQUEST_HANDLER),
        citizen=ensure_user(
            username="13800000011", full_name="王小明", kind="citizen", password=PASSWORD, phone="13800000011"
        ),
        enterprise=ensure_user(
            username="13700000012",
            full_name="云州示例科技有限公司",
            kind="enterprise",
            password=PASSWORD,
            phone="13700000012",
        ),
    )


def apply(
    s: Setup,
    *,
    user=None,
    description: str = "2025年全市食品抽检结果",
    applicant_type: str = "commercial",
    key=None,
) -> int:
    user = user or s.citizen
    return services.submit_request(
        user_id=user.id,
        application=services.Application(
            department_id=s.department.pk,
            description=description,
            purpose="",
            delivery="online",
            format="electronic",
            applicant_type=applicant_type if user.kind == "enterprise" else "",
        ),
        idempotency_key=key or uuid.uuid4(),
    )


def text_pdf(lines: list[str]) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setFont(chinese_font(), 12)
    y = 780
    for line in lines:
        page.drawString(60, y, line)
        y -= 20
    page.showPage()
    page.save()
    return buffer.getvalue()


SAMPLE_LINES = [
    "食品抽检结果通报",
    f"联系人身份证号码：{ID_NUMBER}",
    f"联系电话：{PHONE}",
    "抽检合格率98.5%。",
    "经办人：李四",
]
