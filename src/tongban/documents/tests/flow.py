"""The people and bodies of a 发文 (doc-flow tests): the government office issuing documents with its
核稿人员, 签发领导, 文书人员 and 印章管理员; a department below it drafting (拟稿人, 部门负责人); another
department countersigning (its 部门负责人); a stranger outside every 知悉范围."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from typing import Any

from conftest import make_staff

from tongban.documents.services import drafting, steps
from tongban.documents.tests.factories import DocumentTemplateFactory, IssuingBodyFactory
from tongban.organizations.tests.factories import DepartmentFactory
from tongban.workflow import selectors as workflow_selectors


@dataclass
class Office:
    office: Any
    drafting: Any
    partner: Any
    body: Any
    template: Any
    request_template: Any
    report_template: Any
    drafter: Any
    head: Any
    partner_head: Any
    partner_colleague: Any
    reviewer: Any
    signer: Any
    clerk: Any
    seal_keeper: Any
    stranger: Any


def make_office() -> Office:
    office = DepartmentFactory(name="云州市人民政府办公室", short_name="市府办")
    drafting_department = DepartmentFactory(name="云州市财政局", short_name="市财政局", parent=office)
    partner = DepartmentFactory(name="云州市教育局", short_name="市教育局")
    elsewhere = DepartmentFactory(name="云州市水务局", short_name="市水务局")
    body = IssuingBodyFactory(department=office)
    template = DocumentTemplateFactory(issuing_body=body, name="通知")
    request_template = DocumentTemplateFactory(issuing_body=body, name="请示", kind="request")
    report_template = DocumentTemplateFactory(issuing_body=body, name="报告", kind="report")
    head = make_staff("caizheng_head", drafting_department, "department_head")
    return Office(
        office=office,
        drafting=drafting_department,
        partner=partner,
        body=body,
        template=template,
        request_template=request_template,
        report_template=report_template,
        drafter=make_staff("caizheng_drafter", drafting_department, "clerk"),
        head=head,
        partner_head=make_staff("jiaoyu_head", partner, "department_head"),
        partner_colleague=make_staff("jiaoyu_staff", partner, "clerk"),
        reviewer=make_staff("fuban_reviewer", office, "document_reviewer"),
        signer=make_staff("fuban_signer", office, "document_signer"),
        clerk=make_staff("fuban_clerk", office, "document_clerk"),
        seal_keeper=make_staff("fuban_seal", office, "seal_keeper"),
        stranger=make_staff("shuiwu_staff", elsewhere, "clerk"),
    )


def start(office: Office, template: Any = None, key: str | None = None) -> int:
    return drafting.start_document(
        user_id=office.drafter.id,
        template_id=(template or office.template).pk,
        department_id=office.drafting.pk,
        idempotency_key=key or uuid.uuid4().hex,
    )


def fill(office: Office, document_id: int, user: Any = None, **overrides: Any) -> Any:
    fields: dict[str, Any] = {
        "title": "云州市人民政府办公室关于做好2027年元旦春节期间有关工作的通知",
        "main_departments": [office.partner.pk],
        "main_names": ["各区人民政府"],
        "copy_names": ["市委办公室"],
        "countersign_departments": [office.partner.pk],
    }
    return drafting.update_form(
        document_id=document_id, user_id=(user or office.drafter).id, **(fields | overrides)
    )


def open_task(subject: str, element_id: str, department_id: int | None = None) -> Any:
    return next(
        t
        for t in workflow_selectors.open_tasks_of(subject)
        if t.element_id == element_id and (department_id is None or t.department_id == department_id)
    )


def do(office: Office, user: Any, document_id: int, element_id: str, action: str, opinion: str = "") -> Any:
    task = open_task(f"document:{document_id}", element_id)
    return steps.handle_step(task_id=task.id, user_id=user.id, action=action, opinion=opinion)


def png(width: int = 40, height: int = 20) -> bytes:
    """A handwritten signature as the page's canvas exports it: a PNG."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    ImageDraw.Draw(image).line((2, height - 3, width - 3, 2), fill=(0, 0, 0, 255), width=2)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
