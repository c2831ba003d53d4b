"""归档: a finished 发文 or 收文 becomes one 件 of the archive (archives app, STANDARDS §12) with copies of
its files — the sealed PDF, the 发文单 (JSON and a rendered page), every 正文 version, the handwritten
签发 — and its 办理过程 and 分发 record as metadata. The archive is given plain values and bytes only:
nothing in it refers to a live row or file, so later edits never reach the snapshot."""

from __future__ import annotations

import dataclasses
import datetime
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from tongban.accounts.selectors import names_of
from tongban.archives import selectors as archive_selectors
from tongban.archives import services as archive_services
from tongban.core import audit
from tongban.documents.errors import DocumentPermissionError, DocumentStateError
from tongban.documents.models import (
    DocumentKind,
    DocumentStatus,
    HandlingStatus,
    OfficialDocument,
    ReceivedDocument,
    Secrecy,
    Urgency,
)
from tongban.documents.roles import DOCUMENT_CLERK
from tongban.organizations.selectors import department_ids_for
from tongban.workflow import selectors as workflow_selectors


def may_archive(user_id: int, department_id: int) -> bool:
    """The department's 文书人员 or 档案管理员 archives its documents."""
    return department_id in department_ids_for(
        user_id=user_id, role=DOCUMENT_CLERK
    ) or archive_selectors.is_archivist_of(user_id, department_id)


def _process(subject: str) -> list[dict[str, Any]]:
    record = workflow_selectors.process_record(subject)
    people = names_of({line.assignee_id for line in record if line.assignee_id})
    return [
        {**dataclasses.asdict(line), "assignee": people.get(line.assignee_id or 0, "")} for line in record
    ]


def _html_page(title: str, body: str) -> bytes:
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
        f"<body>{body}</body></html>\n"
    ).encode()


def _sheet(heading: str, title: str, rows: list[tuple[str, Any]], **context: Any) -> bytes:
    return render_to_string(
        "documents/archive_sheet.html",
        {
            "heading": heading,
            "title": title,
            "rows": [(k, v) for k, v in rows if v not in (None, "")],
            **context,
        },
    ).encode()


def _form_of(document: OfficialDocument, people: dict[int, str]) -> dict[str, Any]:
    """The 发文单 (GB/T 9704 elements) as plain values."""
    return {
        "issuing_body": document.issuing_body.name,
        "head_text": document.issuing_body.head_text,
        "document_number": document.document_number or "",
        "kind": str(DocumentKind(document.kind).label),
        "title": document.title,
        "copy_number": document.copy_number,
        "secrecy": str(Secrecy(document.secrecy).label) if document.secrecy else "",
        "secrecy_period": document.secrecy_period,
        "urgency": str(Urgency(document.urgency).label) if document.urgency else "",
        "attachments_note": document.attachments_note,
        "note": document.note,
        "drafter": people.get(document.drafter_id, ""),
        "reviewer": people.get(document.reviewer_id or 0, ""),
        "signer": people.get(document.signer_id or 0, ""),
        "signed_off_at": document.signed_off_at,
        "signer_opinion": document.signer_opinion,
        "issued_on": document.issued_on,
        "printed_by": document.printed_by,
        "printed_on": document.printed_on,
        "page_count": document.page_count,
        "main_recipients": [r.name for r in document.recipients.all() if r.kind == "main"],
        "copy_recipients": [r.name for r in document.recipients.all() if r.kind == "copy"],
    }


FORM_LABELS = {
    "issuing_body": "发文机关",
    "document_number": "发文字号",
    "kind": "文种",
    "title": "标题",
    "copy_number": "份号",
    "secrecy": "密级",
    "secrecy_period": "保密期限",
    "urgency": "紧急程度",
    "main_recipients": "主送",
    "copy_recipients": "抄送",
    "attachments_note": "附件说明",
    "note": "附注",
    "drafter": "拟稿人",
    "reviewer": "核稿人",
    "signer": "签发人",
    "signed_off_at": "签发时间",
    "signer_opinion": "签发意见",
    "issued_on": "成文日期",
    "printed_by": "印发机关",
    "printed_on": "印发日期",
    "page_count": "页数",
}


def _label_rows(values: dict[str, Any], labels: dict[str, str]) -> list[tuple[str, Any]]:
    return [
        (label, "、".join(values[key]) if isinstance(values[key], list) else values[key])
        for key, label in labels.items()
    ]


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2, sort_keys=True).encode()


def archive_document(*, document_id: int, user_id: int) -> str:
    """A distributed 发文 becomes one 件 and its status 已归档; returns the 档号. Idempotent: archiving it
    again returns the same 档号. The 保管期限 comes from the 归档范围与保管期限表 by 文种 and title.

    Raises DocumentStateError before 分发 (or without a sealed PDF), DocumentPermissionError for anyone
    but the issuing body's 文书人员 or 档案管理员."""
    with transaction.atomic():
        document = (
            OfficialDocument.objects.select_for_update().select_related("issuing_body").get(pk=document_id)
        )
        department_id = document.issuing_body.department_id
        if not may_archive(user_id, department_id):
            raise DocumentPermissionError(_("只有发文机关的文书人员或档案管理员可以归档"))
        source = document.subject
        if document.status == DocumentStatus.ARCHIVED and (
            code := archive_selectors.archival_code_of(source)
        ):
            return code
        if document.status != DocumentStatus.DISTRIBUTED:
            raise DocumentStateError(_("公文分发后才能归档"))
        if not document.sealed_pdf:
            raise DocumentStateError(_("公文还没有用印文件，不能归档"))
        with document.sealed_pdf.open("rb") as handle:
            sealed = handle.read()
        versions = list(document.versions.all())
        recipients = list(document.recipients.all())
        people = names_of(
            {
                document.drafter_id,
                document.reviewer_id or 0,
                document.signer_id or 0,
                document.sealed_by_id or 0,
            }
            | {v.author_id for v in versions}
            | {r.received_by_id for r in recipients if r.received_by_id}
        )
        form = _form_of(document, people)
        process = _process(source)
        distribution = [
            {
                "kind": r.kind,
                "kind_label": r.get_kind_display(),
                "name": r.name,
                "department_id": r.department_id,
                "state": r.state,
                "state_label": r.get_state_display(),
                "delivered_at": r.delivered_at,
                "received_at": r.received_at,
                "received_by": people.get(r.received_by_id or 0, ""),
                "returned_at": r.returned_at,
                "return_reason": r.return_reason,
            }
            for r in recipients
        ]
        files: list[tuple[str, bytes]] = [("sealed.pdf", sealed)]
        labels = {"sealed.pdf": "用印公文", "form.json": "发文单（数据）", "form.html": "发文单"}
        files.append(
            ("form.json", _json_bytes({"form": form, "process": process, "distribution": distribution}))
        )
        files.append(
            (
                "form.html",
                _sheet(
                    "发文单",
                    document.title,
                    _label_rows(form, FORM_LABELS),
                    process=process,
                    recipients=distribution,
                ),
            )
        )
        version_list = []
        for version in versions:
            name = f"body-v{version.number}.html"
            files.append((name, _html_page(f"{document.title}（第{version.number}版）", version.html)))
            labels[name] = f"正文第{version.number}版"
            version_list.append(
                {
                    "number": version.number,
                    "author": people.get(version.author_id, ""),
                    "saved_at": version.saved_at,
                    "file": name,
                }
            )
        signatures: list[dict[str, Any]] = [
            {
                "step": "签发",
                "signer": form["signer"],
                "signed_at": document.signed_off_at,
                "opinion": document.signer_opinion,
                "file": "signature.png" if document.signature_image else "",
            }
        ]
        signatures += [
            {
                "step": line["name"],
                "signer": line["assignee"],
                "signed_at": line["completed_at"],
                "opinion": line["opinion"],
            }
            for line in process
            if line["completed_at"] and line["opinion"]
        ]
        if document.signature_image:
            files.append(("signature.png", bytes(document.signature_image)))
            labels["signature.png"] = "签发手写签批"
        metadata = {
            "form": form,
            "process": process,
            "versions": version_list,
            "signatures": signatures,
            "distribution": distribution,
            "seal": {
                "sha256": document.sealed_sha256,
                "sealed_at": document.sealed_at,
                "sealed_by": people.get(document.sealed_by_id or 0, ""),
            },
            "sealed_files": ["sealed.pdf"],
        }
        date = document.issued_on or timezone.localdate(document.signed_off_at or timezone.now())
        code = archive_services.archive_record(
            source=source,
            source_kind="outgoing",
            department_id=department_id,
            kind=form["kind"],
            title=document.title,
            document_number=document.document_number or "",
            responsible=document.issuing_body.name,
            date=date,
            secrecy=form["secrecy"],
            page_count=document.page_count,
            retention=archive_selectors.retention_for(
                kind=form["kind"], source="outgoing", title=document.title
            ),
            metadata=metadata,
            files=files,
            file_labels=labels,
            user_id=user_id,
        )
        document.status = DocumentStatus.ARCHIVED
        document.save(update_fields=["status", "updated_at"])
        audit.record(
            event="document.archived",
            actor_id=user_id,
            object_type="document",
            object_id=document.pk,
            department_id=department_id,
            reason=code,
        )
    return code


RECEIVED_LABELS = {
    "sender_name": "来文单位",
    "document_number": "文号",
    "title": "标题",
    "kind": "文种",
    "secrecy": "密级",
    "urgency": "紧急程度",
    "page_count": "页数",
    "registration_number": "收文号",
    "delivered_at": "送达时间",
    "received_at": "签收时间",
    "received_by": "签收人",
    "registered_at": "登记时间",
}


def _kind_label(code: str) -> str:
    return str(DocumentKind(code).label) if code in DocumentKind.values else code


def archive_received(*, received_id: int, user_id: int) -> str:
    """A 收文 that is 办结 becomes one 件 with its PDF and its 办理单 (登记 data and 办理过程); returns the
    档号. Idempotent.

    Raises DocumentStateError before 办结 (or without its PDF), DocumentPermissionError for anyone but
    the receiving department's 文书人员 or 档案管理员."""
    with transaction.atomic():
        received = ReceivedDocument.objects.select_for_update().get(pk=received_id)
        if not may_archive(user_id, received.department_id):
            raise DocumentPermissionError(_("只有收文部门的文书人员或档案管理员可以归档"))
        source = received.subject
        if code := archive_selectors.archival_code_of(source):
            return code
        if received.handling_status != HandlingStatus.DONE:
            raise DocumentStateError(_("收文办结后才能归档"))
        if not received.pdf:
            raise DocumentStateError(_("收文没有公文文件，不能归档"))
        with received.pdf.open("rb") as handle:
            pdf = handle.read()
        people = names_of({received.received_by_id or 0})
        kind = _kind_label(received.kind)
        secrecy = str(Secrecy(received.secrecy).label) if received.secrecy else ""
        sheet: dict[str, Any] = {
            "sender_name": received.sender_name,
            "document_number": received.document_number,
            "title": received.title,
            "kind": kind,
            "secrecy": secrecy,
            "urgency": str(Urgency(received.urgency).label) if received.urgency else "",
            "page_count": received.page_count,
            "registration_number": received.registration_number,
            "delivered_at": received.delivered_at,
            "received_at": received.received_at,
            "received_by": people.get(received.received_by_id or 0, ""),
            "registered_at": received.registered_at,
            "pdf_sha256": received.pdf_sha256,
        }
        process = _process(source)
        files = [
            ("received.pdf", pdf),
            ("form.json", _json_bytes({"form": sheet, "process": process})),
            (
                "form.html",
                _sheet("收文办理单", received.title, _label_rows(sheet, RECEIVED_LABELS), process=process),
            ),
        ]
        date_from = received.registered_at or received.received_at or received.delivered_at
        code = archive_services.archive_record(
            source=source,
            source_kind="incoming",
            department_id=received.department_id,
            kind=kind,
            title=received.title,
            document_number=received.document_number,
            responsible=received.sender_name,
            date=timezone.localdate(date_from) if isinstance(date_from, datetime.datetime) else date_from,
            secrecy=secrecy,
            page_count=received.page_count,
            retention=archive_selectors.retention_for(kind=kind, source="incoming", title=received.title),
            metadata={"form": sheet, "process": process, "sealed_files": ["received.pdf"]},
            files=files,
            file_labels={
                "received.pdf": "公文文件",
                "form.json": "收文办理单（数据）",
                "form.html": "收文办理单",
            },
            user_id=user_id,
        )
        audit.record(
            event="received.archived",
            actor_id=user_id,
            object_type="received_document",
            object_id=received.pk,
            department_id=received.department_id,
            reason=code,
        )
    return code
