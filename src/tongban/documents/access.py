"""Who may see and change a document (知悉范围, issue 15): the people on its route, the issuing body's
records staff, its recipients' handlers and those it was circulated to. Every page reaches documents
through these functions (T-B2, T-B3); the views' ``visible_document``/``visible_received`` audit each
view and each refusal."""

from __future__ import annotations

from tongban.archives.selectors import is_archivist_of
from tongban.documents.models import Circulation, IncomingState, OfficialDocument, ReceivedDocument
from tongban.documents.roles import DOCUMENT_CLERK
from tongban.organizations.selectors import department_ids_for
from tongban.workflow import selectors as workflow_selectors


def clerk_department_ids(user_id: int) -> set[int]:
    """The departments whose 收发 the user does (文书人员): they sign for and register 收文 there."""
    return department_ids_for(user_id=user_id, role=DOCUMENT_CLERK)


def _on_route(user_id: int, subject: str) -> bool:
    return workflow_selectors.has_had_task_on(user_id, subject) or workflow_selectors.has_copy_of(
        user_id, subject
    )


def get_received_for(user_id: int, received_id: int) -> ReceivedDocument | None:
    """The 收文 when the user does the 收发 of its department, or has or had a step of its handling, or
    was sent it (传阅, 抄送); None otherwise."""
    received = ReceivedDocument.objects.filter(pk=received_id).first()
    if received is None:
        return None
    if received.department_id in clerk_department_ids(user_id) or _on_route(user_id, received.subject):
        return received
    if Circulation.objects.filter(received_id=received_id, reader_id=user_id).exists():  # 传阅
        return received
    return None


def get_document_for(user_id: int, document_id: int) -> OfficialDocument | None:
    """The 发文 when the user drafted it, has or had a step of it, was sent a copy of it, or may see a
    收文 made from it at a recipient (not one that was withdrawn before anybody signed for it); None
    otherwise. A recipient sees the document only once it was distributed to them."""
    document = OfficialDocument.objects.filter(pk=document_id).first()
    if document is None:
        return None
    if document.drafter_id == user_id or _on_route(user_id, document.subject):
        return document
    if _keeps_records_of(user_id, document):
        return document
    deliveries = ReceivedDocument.objects.filter(source_document_id=document_id).exclude(
        state=IncomingState.WITHDRAWN
    )
    for received_id in deliveries.values_list("pk", flat=True):
        if get_received_for(user_id, received_id) is not None:
            return document
    return None


def _keeps_records_of(user_id: int, document: OfficialDocument) -> bool:
    """The issuing body's 文书人员 handle its documents from 签发 on (编号, 套红, 分发, 归档) whoever took
    the step; its 档案管理员 see what was distributed, to archive it."""
    department_id = document.issuing_body.department_id
    if document.is_signed_off and department_id in clerk_department_ids(user_id):
        return True
    return document.status in ("distributed", "archived") and is_archivist_of(user_id, department_id)


def may_edit_body(user_id: int, document: OfficialDocument) -> bool:
    """The 正文 and the 发文单 change only before 签发, by the drafter while drafting or by whoever has
    an open step of the document (核稿, 会签 …)."""
    if document.is_signed_off:
        return False
    if document.drafter_id == user_id and document.status == "drafting":
        return True
    return workflow_selectors.has_task_on(user_id, document.subject)
