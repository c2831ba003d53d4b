"""公文交换 (issue 15): 分发 of a sealed document to its recipients on the platform, their 签收 and 退文,
the sender's 撤回, and exchange packages for bodies outside the platform.

Locks are taken in one order, document → received copies → recipient rows, so that a 撤回 and a 签收
of the same document never deadlock and never both succeed."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from typing import Any, cast

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts.selectors import names_of
from tongban.core.audit import record
from tongban.core.signing import ALGORITHMS, get_signer, verify_signature
from tongban.core.uploads import UPLOAD_MAX_MB, UploadError, check_upload, scan_upload
from tongban.documents import exchange_package
from tongban.documents.access import clerk_department_ids
from tongban.documents.errors import DocumentError, DocumentNotFound, DocumentStateError
from tongban.documents.exchange_package import OpenedPackage, PackageError, PackageSignature
from tongban.documents.models import (
    DeliveryState,
    DocumentKind,
    DocumentRecipient,
    ExchangeKey,
    IncomingState,
    OfficialDocument,
    ReceivedDocument,
    RecipientKind,
    Secrecy,
    Urgency,
)
from tongban.documents.roles import DOCUMENT_CLERK
from tongban.notifications.services import notify
from tongban.organizations.selectors import staff_ids_with_role

RETURN_REASON_MAX = 500


def _sender_document(document_id: int, user_id: int) -> OfficialDocument:
    """The document, locked, when the user is a 文书人员 of its issuing body; else DocumentNotFound."""
    document = (
        OfficialDocument.objects.select_for_update(of=("self",))
        .select_related("issuing_body")
        .filter(pk=document_id)
        .first()
    )
    if document is None or document.issuing_body.department_id not in clerk_department_ids(user_id):
        raise DocumentNotFound(_("没有找到该公文。"), code="not_found")
    return document


def _sealed_pdf(document: OfficialDocument) -> bytes:
    if not document.sealed_pdf:
        raise DocumentStateError(_("公文用印后才能分发或导出交换包。"), code="not_sealed")
    with document.sealed_pdf.open("rb") as sealed:
        content = sealed.read()
    if document.sealed_sha256 and hashlib.sha256(content).hexdigest() != document.sealed_sha256:
        # The stored file is not what was sealed: nothing leaves the platform.
        raise DocumentStateError(_("用印公文文件与用印时的摘要不符，请重新用印。"), code="sealed_changed")
    return content


def _notify_clerks(department_id: int, *, title: str, body: str, link: str, key: str) -> None:
    for clerk_id in sorted(staff_ids_with_role(department_id=department_id, role=DOCUMENT_CLERK)):
        notify(user_id=clerk_id, title=title, body=body, link=link, key=f"{key}:{clerk_id}")


def distribute_document(*, document_id: int, user_id: int) -> None:
    """分发: each 主送/抄送 department on the platform gets its own copy of the sealed PDF as a 收文
    waiting for 签收 (待签收), with the document's 文号, 标题, 文种, 密级, 缓急 and 页数, 来文单位 being the
    issuing body; its recipient row becomes 已送达. Recipients outside the platform (no department) are
    left for the exchange package. The receiving departments' 文书人员 are told after commit.

    Idempotent: only recipients not yet distributed get a copy, so a retry creates nothing twice (and a
    copy per recipient is also a OneToOne). Raises DocumentNotFound (not a 文书人员 of the issuing body)
    or DocumentStateError (not sealed, or the sealed file changed).
    """
    now = timezone.now()
    with transaction.atomic():
        document = _sender_document(document_id, user_id)
        pdf = _sealed_pdf(document)
        digest = hashlib.sha256(pdf).hexdigest()
        recipients = list(
            DocumentRecipient.objects.select_for_update()
            .filter(document=document, department__isnull=False, state=DeliveryState.PENDING)
            .order_by("kind", "position", "id")
        )
        delivered: list[tuple[int, int]] = []
        for recipient in recipients:
            department_id = cast(int, recipient.department_id)  # the query keeps platform recipients only
            received = ReceivedDocument(
                department_id=department_id,
                source_document=document,
                source_recipient=recipient,
                sender_name=document.issuing_body.name,
                document_number=document.document_number or "",
                title=document.title,
                kind=document.kind,
                secrecy=document.secrecy,
                urgency=document.urgency,
                page_count=document.page_count,
                pdf_sha256=digest,
                state=IncomingState.PENDING,
                delivered_at=now,
            )
            received.pdf.save(f"{uuid.uuid4().hex}.pdf", ContentFile(pdf), save=False)
            received.save()
            recipient.state = DeliveryState.DELIVERED
            recipient.delivered_at = now
            recipient.save(update_fields=["state", "delivered_at"])
            delivered.append((received.pk, department_id))
        record(
            event="document.distribute",
            actor_id=user_id,
            object_type="document",
            object_id=document_id,
            department_id=document.issuing_body.department_id,
            reason=_("分发%(count)d个收文单位") % {"count": len(delivered)},
        )
        title, sender, number = document.title, document.issuing_body.name, document.document_number or ""

        def tell_recipients() -> None:
            for received_id, department_id in delivered:
                _notify_clerks(
                    department_id,
                    title=_("待签收公文：%(title)s") % {"title": title},
                    body=_("%(sender)s来文%(number)s，请签收或退文。") % {"sender": sender, "number": number},
                    link=reverse("documents:received", args=[received_id]),
                    key=f"received-delivered:{received_id}",
                )

        transaction.on_commit(tell_recipients)


def _pending_copy(received_id: int, user_id: int) -> ReceivedDocument:
    """The copy, locked (after its document), when the user is a 文书人员 of the receiving department."""
    source_id = (
        ReceivedDocument.objects.filter(pk=received_id).values_list("source_document_id", flat=True).first()
    )
    if source_id is not None:
        OfficialDocument.objects.select_for_update().filter(pk=source_id).first()
    received = (
        ReceivedDocument.objects.select_for_update()
        .filter(pk=received_id, department_id__in=clerk_department_ids(user_id))
        .first()
    )
    if received is None:
        raise DocumentNotFound(_("没有找到该收文。"), code="not_found")
    if received.state != IncomingState.PENDING:
        raise DocumentStateError(
            _("该公文%(state)s，不能再签收或退文。") % {"state": received.get_state_display()},
            code="not_pending",
        )
    return received


def receive_document(*, received_id: int, user_id: int) -> None:
    """签收 by a 文书人员 of the receiving department: the time and person are recorded on the 收文 and on
    the sender's recipient row (已签收). Raises DocumentNotFound or DocumentStateError (not 待签收)."""
    now = timezone.now()
    with transaction.atomic():
        received = _pending_copy(received_id, user_id)
        received.state = IncomingState.RECEIVED
        received.received_at = now
        received.received_by_id = user_id
        received.save(update_fields=["state", "received_at", "received_by"])
        if received.source_recipient_id:
            DocumentRecipient.objects.select_for_update().filter(pk=received.source_recipient_id).update(
                state=DeliveryState.RECEIVED, received_at=now, received_by_id=user_id
            )
        record(
            event="received.sign_for",
            actor_id=user_id,
            object_type="received_document",
            object_id=received_id,
            department_id=received.department_id,
        )


def return_document(*, received_id: int, user_id: int, reason: str) -> None:
    """退文 by a 文书人员 of the receiving department, with a reason (required, at most 500 characters),
    recorded on the 收文 and the sender's recipient row (已退文); the sender's 文书人员 are told.
    Raises DocumentError (no reason), DocumentNotFound or DocumentStateError (not 待签收)."""
    reason = reason.strip()
    if not reason:
        raise DocumentError(_("请输入退文理由"), code="reason_required")
    if len(reason) > RETURN_REASON_MAX:
        raise DocumentError(
            _("退文理由不能超过%(max)d个字") % {"max": RETURN_REASON_MAX}, code="reason_too_long"
        )
    now = timezone.now()
    with transaction.atomic():
        received = _pending_copy(received_id, user_id)
        received.state = IncomingState.RETURNED
        received.returned_at = now
        received.return_reason = reason
        received.save(update_fields=["state", "returned_at", "return_reason"])
        if received.source_recipient_id:
            DocumentRecipient.objects.select_for_update().filter(pk=received.source_recipient_id).update(
                state=DeliveryState.RETURNED, returned_at=now, return_reason=reason
            )
        record(
            event="received.return",
            actor_id=user_id,
            object_type="received_document",
            object_id=received_id,
            department_id=received.department_id,
            reason=reason,
        )
        document = received.source_document
        if document is not None:
            department_id = document.issuing_body.department_id
            receiver = names_of({user_id}).get(user_id, "")
            message = {
                "title": _("公文被退文：%(title)s") % {"title": document.title},
                "body": _("%(department)s退回了公文%(number)s（%(person)s），理由：%(reason)s")
                % {
                    "department": received.source_recipient.name if received.source_recipient else "",
                    "number": document.document_number or "",
                    "person": receiver,
                    "reason": reason,
                },
                "link": reverse("documents:distribution", args=[document.pk]),
                "key": f"received-returned:{received_id}",
            }
            transaction.on_commit(lambda: _notify_clerks(department_id, **message))


def withdraw_document(*, document_id: int, user_id: int) -> None:
    """撤回 by a 文书人员 of the issuing body, only while no recipient has signed for the document: every
    copy still 待签收 becomes 已撤回, and so does its recipient row (returned copies stay 已退文); the
    receiving departments' 文书人员 are told. Raises DocumentNotFound or DocumentStateError (someone
    signed for it, or nothing is waiting)."""
    with transaction.atomic():
        document = _sender_document(document_id, user_id)
        copies = list(ReceivedDocument.objects.select_for_update().filter(source_document=document))
        if any(copy.state == IncomingState.RECEIVED for copy in copies):
            raise DocumentStateError(_("已有收文单位签收，不能撤回。"), code="already_received")
        pending = [copy for copy in copies if copy.state == IncomingState.PENDING]
        if not pending:
            raise DocumentStateError(_("没有待签收的分发，无需撤回。"), code="nothing_pending")
        ReceivedDocument.objects.filter(pk__in=[c.pk for c in pending]).update(state=IncomingState.WITHDRAWN)
        DocumentRecipient.objects.select_for_update().filter(
            pk__in=[c.source_recipient_id for c in pending if c.source_recipient_id]
        ).update(state=DeliveryState.WITHDRAWN)
        record(
            event="document.withdraw",
            actor_id=user_id,
            object_type="document",
            object_id=document_id,
            department_id=document.issuing_body.department_id,
        )
        told = [(c.pk, c.department_id) for c in pending]
        title, sender = document.title, document.issuing_body.name

        def tell_recipients() -> None:
            for received_id, department_id in told:
                _notify_clerks(
                    department_id,
                    title=_("公文已撤回：%(title)s") % {"title": title},
                    body=_("%(sender)s撤回了这份待签收的公文，无需签收。") % {"sender": sender},
                    link="",
                    key=f"received-withdrawn:{received_id}",
                )

        transaction.on_commit(tell_recipients)


# --- exchange packages -------------------------------------------------------------------------------


def platform_id() -> str:
    """This platform in packages: the site's 网站标识码 (unique per government website)."""
    return str(settings.CITY["site_code"])


def _signing_key() -> ExchangeKey:
    """The platform's active exchange key, made with the configured signer on first use."""
    key = ExchangeKey.objects.filter(is_own=True, is_active=True).first()
    if key is not None:
        return key
    pair = get_signer().generate_key()
    try:
        with transaction.atomic():
            return ExchangeKey.objects.create(
                platform_id=platform_id(),
                key_id=secrets.token_hex(8),
                algorithm=pair.algorithm,
                public_key_pem=pair.public_key_pem,
                private_key_ref=pair.private_key_ref,
                is_own=True,
            )
    except IntegrityError:  # made at the same moment by another export
        return ExchangeKey.objects.get(is_own=True, is_active=True)


def _label(choices: Any, value: str) -> str:
    return str(dict(choices.choices).get(value, "")) if value else ""


def package_metadata(document: OfficialDocument, *, exported_at: dt.datetime) -> dict[str, Any]:
    """The GB/T 9704 elements of the document and the sender, as the package's metadata holds them."""
    recipients = list(document.recipients.order_by("position", "id"))
    signer = names_of({document.signer_id}).get(document.signer_id, "") if document.signer_id else ""
    return {
        "format": exchange_package.FORMAT,
        "copy_number": document.copy_number,
        "secrecy": _label(Secrecy, document.secrecy),
        "secrecy_period": document.secrecy_period,
        "urgency": _label(Urgency, document.urgency),
        "issuer": document.issuing_body.name,
        "issuer_mark": document.issuing_body.head_text,
        "document_number": document.document_number or "",
        "signer": signer,
        "kind": _label(DocumentKind, document.kind),
        "title": document.title,
        "main_recipients": [r.name for r in recipients if r.kind == RecipientKind.MAIN],
        "copy_recipients": [r.name for r in recipients if r.kind == RecipientKind.COPY],
        "attachments_note": document.attachments_note,
        "issued_on": document.issued_on.isoformat() if document.issued_on else "",
        "printed_by": document.printed_by,
        "printed_on": document.printed_on.isoformat() if document.printed_on else "",
        "page_count": document.page_count,
        "sender_platform_id": platform_id(),
        "exported_at": exported_at.isoformat(timespec="seconds"),
    }


def export_package(document_id: int) -> bytes:
    """The exchange package of a sealed document (``documents.exchange_package``), its manifest signed
    with the platform's exchange key. Who may have it is the caller's question (the sender's 文书人员).
    Raises DocumentNotFound or DocumentStateError (not sealed)."""
    document = OfficialDocument.objects.select_related("issuing_body").filter(pk=document_id).first()
    if document is None:
        raise DocumentNotFound(_("没有找到该公文。"), code="not_found")
    pdf = _sealed_pdf(document)
    key = _signing_key()
    signer = get_signer()
    now = timezone.now()

    def sign(manifest: bytes) -> PackageSignature:
        return PackageSignature(
            platform_id=key.platform_id,
            key_id=key.key_id,
            algorithm=key.algorithm,
            signature=signer.sign(private_key_ref=key.private_key_ref, data=manifest),
        )

    return exchange_package.build_package(
        pdf=pdf,
        metadata=package_metadata(document, exported_at=now),
        platform_id=platform_id(),
        created_at=now,
        sign=sign,
    )


def _verify_signature(opened: OpenedPackage) -> None:
    """The manifest was signed by a trusted key (ours, or a peer's added by an administrator)."""
    signature = opened.signature
    key = ExchangeKey.objects.filter(key_id=signature.key_id, algorithm=signature.algorithm).first()
    if key is None or not verify_signature(
        algorithm=key.algorithm,
        public_key_pem=key.public_key_pem,
        data=opened.manifest,
        signature=signature.signature,
    ):
        raise PackageError(
            _("交换包的签名验证未通过（包被改动过，或来自未受信任的平台），已拒绝导入"), code="signature"
        )


def _choice(choices: Any, label: object) -> str | None:
    """The stored value of a choice given by its label ("" for none); None for an unknown label."""
    label = str(label or "")
    if not label:
        return ""
    return next((value for value, text in choices.choices if str(text) == label), None)


def import_package(*, data: bytes, department_id: int, user_id: int) -> int:
    """导入交换包: a package sent by a body outside the platform becomes a 收文 of the department waiting
    for 签收. Refused, with nothing created, when the package is not exactly the five files, a path is
    unsafe, it is too large, a checksum or the manifest's signature does not verify against the trusted
    keys, the PDF fails the upload checks or the virus scan, its 密级 is not allowed here, or the same
    package was imported for the department before. Returns the 收文's id.

    Raises DocumentNotFound (not a 文书人员 of the department) or PackageError."""
    if department_id not in clerk_department_ids(user_id):
        raise DocumentNotFound(_("没有找到该部门。"), code="not_found")
    opened = exchange_package.open_package(data)
    _verify_signature(opened)
    try:
        checked = check_upload(
            name=exchange_package.PDF_NAME, data=opened.pdf, allowed_types=["pdf"], max_size_mb=UPLOAD_MAX_MB
        )
        scan_upload(checked, uploader_id=user_id)
    except UploadError as exc:
        raise PackageError(
            _("交换包中的公文文件未通过检查：%(reason)s") % {"reason": exc.message}, code="pdf"
        ) from exc
    metadata = opened.metadata
    secrecy = _choice(Secrecy, metadata.get("secrecy"))
    urgency = _choice(Urgency, metadata.get("urgency"))
    allowed = getattr(settings, "TONGBAN_DOCUMENT_SECRECY_ALLOWED", ())
    if secrecy is None or (secrecy and secrecy not in allowed):
        raise PackageError(_("本平台不能处理该密级的公文，已拒绝导入"), code="secrecy")
    page_count = metadata.get("page_count")
    already = _("该交换包已导入本部门，不能重复导入")
    if ReceivedDocument.objects.filter(department_id=department_id, package_sha256=opened.sha256).exists():
        raise PackageError(already, code="already_imported")
    try:
        with transaction.atomic():
            received = ReceivedDocument(
                department_id=department_id,
                package_sha256=opened.sha256,
                sender_name=str(metadata["issuer"])[:100],
                document_number=str(metadata.get("document_number") or "")[:40],
                title=str(metadata["title"])[:200],
                kind=_choice(DocumentKind, metadata.get("kind")) or "",
                secrecy=secrecy,
                urgency=urgency or "",
                page_count=page_count if isinstance(page_count, int) and 0 < page_count < 10_000 else None,
                pdf_sha256=checked.sha256,
                state=IncomingState.PENDING,
                delivered_at=timezone.now(),
            )
            received.pdf.save(f"{uuid.uuid4().hex}.pdf", ContentFile(checked.content), save=False)
            received.save()
            record(
                event="received.import_package",
                actor_id=user_id,
                object_type="received_document",
                object_id=received.pk,
                department_id=department_id,
                reason=f"{opened.signature.platform_id} {opened.sha256}",
            )
    except IntegrityError as exc:  # imported at the same moment (documents_package_imported_once)
        raise PackageError(already, code="already_imported") from exc
    return received.pk


def trust_exchange_key(*, platform: str, key_id: str, algorithm: str, public_key_pem: str) -> None:
    """Trust a peer platform's exchange key for imports (an administrator's command, audited)."""
    if algorithm not in ALGORITHMS:
        raise DocumentError(_("不支持该签名算法"), code="algorithm")
    if ExchangeKey.objects.filter(key_id=key_id).exists():
        raise DocumentError(_("该密钥已在信任列表中"), code="duplicate")
    ExchangeKey.objects.create(
        platform_id=platform, key_id=key_id, algorithm=algorithm, public_key_pem=public_key_pem, is_own=False
    )
    record(event="document.exchange_key_trusted", actor_id=None, object_type="exchange_key", object_id=key_id)


def own_exchange_key() -> dict[str, str]:
    """This platform's public exchange key, for the platforms that import our packages."""
    key = _signing_key()
    return {
        "platform_id": key.platform_id,
        "key_id": key.key_id,
        "algorithm": key.algorithm,
        "public_key_pem": key.public_key_pem,
    }
