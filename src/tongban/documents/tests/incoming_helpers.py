"""Shared set-up of the 收文办理 tests: a receiving department with its clerk, reviewer and signer, two
承办 departments with their clerks, and a signed-for 收文."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import Any

from conftest import make_staff
from django.utils import timezone
from PIL import Image

from tongban.documents.roles import DOCUMENT_CLERK, DOCUMENT_REVIEWER, DOCUMENT_SIGNER
from tongban.documents.services import incoming
from tongban.documents.tests.factories import ReceivedDocumentFactory
from tongban.organizations.tests.factories import DepartmentFactory
from tongban.workflow import selectors as workflow_selectors


def signature_png() -> bytes:
    image = Image.new("RGBA", (120, 40), (255, 255, 255, 0))
    for x in range(10, 110):
        image.putpixel((x, 20 + (x % 7)), (0, 0, 0, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def signature_data_url() -> str:
    return "data:image/png;base64," + base64.b64encode(signature_png()).decode()


@dataclass
class Office:
    department: Any
    clerk: Any
    reviewer: Any
    signer: Any
    handling_a: Any
    clerk_a: Any
    handling_b: Any
    clerk_b: Any


def office() -> Office:
    department = DepartmentFactory(name="云州市发展和改革委员会", short_name="市发改委")
    handling_a = DepartmentFactory(name="云州市财政局", short_name="市财政局")
    handling_b = DepartmentFactory(name="云州市教育局", short_name="市教育局")
    return Office(
        department=department,
        clerk=make_staff("shouwen", department, DOCUMENT_CLERK),
        reviewer=make_staff("nibang", department, DOCUMENT_REVIEWER),
        signer=make_staff("lingdao", department, DOCUMENT_SIGNER),
        handling_a=handling_a,
        clerk_a=make_staff("caizheng", handling_a, DOCUMENT_CLERK),
        handling_b=handling_b,
        clerk_b=make_staff("jiaoyu", handling_b, DOCUMENT_CLERK),
    )


def signed_for(o: Office, **kwargs: Any):
    return ReceivedDocumentFactory(
        source_recipient__department=o.department,
        state="received",
        received_at=timezone.now(),
        received_by_id=o.clerk.id,
        **kwargs,
    )


def fields_of(received, **changes: Any) -> incoming.Registration:
    values = {
        "sender_name": received.sender_name,
        "document_number": received.document_number,
        "title": received.title,
        "secrecy": received.secrecy,
        "urgency": received.urgency,
        "page_count": 3,
    } | changes
    return incoming.Registration(**values)


def register(o: Office, received) -> str:
    return incoming.register_received(received_id=received.pk, user_id=o.clerk.id, fields=fields_of(received))


def open_task(received, element_id: str):
    return next(t for t in workflow_selectors.open_tasks_of(received.subject) if t.element_id == element_id)


def to_handling(o: Office, received, *, days: int = 5):
    """登记, 拟办 and 批示 with both 承办 departments."""
    register(o, received)
    incoming.propose(
        task_id=open_task(received, "propose").id, user_id=o.reviewer.id, opinion="拟请财政、教育办理"
    )
    return incoming.instruct(
        task_id=open_task(received, "instruct").id,
        user_id=o.signer.id,
        opinion="同意，请财政局、教育局办理",
        department_ids=[o.handling_a.pk, o.handling_b.pk],
        handling_days=days,
        signature_png=signature_png(),
    )
