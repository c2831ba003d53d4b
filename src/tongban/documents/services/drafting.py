"""拟稿 and the 发文单: start a document from a template (its process with it), change its 发文单 while
it may be edited, and 签发 with the signer's handwritten signature. Each call owns its transaction.

The 发文 process (``processes/document_outgoing.bpmn``, family ``document``): 拟稿 (the drafter) →
部门核稿 (部门负责人 of the drafting department) → 会签 (one step per department chosen on the 发文单,
in parallel; none chosen: skipped) → 办公室核稿, 领导签发, 编号, 套红, 用印, 分发 (the roles of
``documents.roles`` in the issuing body's department: the lane 发文机关). ``steps`` drives it."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from tongban.accounts.selectors import staff_account
from tongban.core.uploads import UploadError, check_upload
from tongban.documents import access
from tongban.documents.errors import (
    DocumentError,
    DocumentNotFound,
    DocumentRulesError,
    DocumentStateError,
)
from tongban.documents.models import (
    BodyVersion,
    CountersignDepartment,
    DocumentRecipient,
    DocumentStatus,
    DocumentTemplate,
    IssuingBody,
    OfficialDocument,
    RecipientKind,
    Secrecy,
    Urgency,
)
from tongban.documents.rules import FORM, SIGN_OFF, DocumentFields, Violation, check_document
from tongban.documents.selectors import drafting_departments, issuing_body_ids_for
from tongban.organizations.selectors import departments_by_ids
from tongban.workflow import selectors as workflow_selectors
from tongban.workflow import services as workflow_services
from tongban.workflow.errors import TaskConflict, TaskNotFound
from tongban.workflow.models import ProcessFamily
from tongban.workflow.phrases import SIGNATURE_MAX_MB, signatures_of

PROCESS_KEY = "document_outgoing"
PROCESS_FILE = Path(__file__).resolve().parents[1] / "processes" / f"{PROCESS_KEY}.bpmn"
ISSUING_LANE = "发文机关"  # the lane of the steps the issuing body's department handles
SIGN_OFF_STEP = "sign_off"
SIGNATURE_MAX_PIXELS = (1200, 600)


def install_process() -> int:
    """Store the shipped 发文 process (family ``document``) when missing or changed; idempotent."""
    return workflow_services.install_definition(
        key=PROCESS_KEY, data=PROCESS_FILE.read_bytes(), family=ProcessFamily.DOCUMENT
    )


def _ensure_process(key: str) -> None:
    if key == PROCESS_KEY and workflow_selectors.published_process(key) is None:
        install_process()


def allowed_secrecy() -> list[str]:
    return [level for level in settings.TONGBAN_DOCUMENT_SECRECY_ALLOWED if level in Secrecy.values]


def body_text(document_id: int) -> str:
    """The latest 正文 as plain text (the rules read it)."""
    html = (
        BodyVersion.objects.filter(document_id=document_id)
        .order_by("-number")
        .values_list("html", flat=True)
        .first()
    )
    return strip_tags(html or "")


def fields_of(document: OfficialDocument) -> DocumentFields:
    """The document's 发文单 as the rules read it."""
    recipients = list(document.recipients.order_by("kind", "position", "id").values_list("kind", "name"))
    return DocumentFields(
        kind=document.kind,
        title=document.title,
        main_recipients=tuple(name for kind, name in recipients if kind == RecipientKind.MAIN),
        copy_recipients=tuple(name for kind, name in recipients if kind == RecipientKind.COPY),
        copy_number=document.copy_number,
        secrecy=document.secrecy,
        secrecy_period=document.secrecy_period,
        body_text=body_text(document.pk),
        signer_named=document.signer_id is not None,
    )


def check(document: OfficialDocument, stage: str) -> list[Violation]:
    return check_document(fields_of(document), stage=stage, allowed_secrecy=allowed_secrecy())


def refuse_if_broken(document: OfficialDocument, stage: str) -> list[Violation]:
    """The rules at ``stage``: errors refuse (DocumentRulesError), warnings are returned."""
    found = check(document, stage)
    if any(v.is_error for v in found):
        raise DocumentRulesError(found)
    return [v for v in found if not v.is_error]


# --- 拟稿 -------------------------------------------------------------------------------------------


def start_document(*, user_id: int, template_id: int, department_id: int, idempotency_key: str) -> int:
    """拟稿: a new document from a template — its 文种, issuing body (the template's, or the drafting
    department's own), the first 正文 version from its text — and its 发文 process, whose first step
    (拟稿) is the drafter's. ``department_id`` is the drafting department, one the user works in; the
    issuing body is one of the user's departments or a body above them. A retried submission (same
    ``idempotency_key``) returns the document it created. Returns the document id."""
    if not idempotency_key:
        raise DocumentError(_("页面已过期，请重新打开拟稿页面"), code="no_key")
    existing = OfficialDocument.objects.filter(drafter_id=user_id, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing.pk
    if department_id not in {d.id for d in drafting_departments(user_id)}:
        raise DocumentError(_("请选择您所在的部门"), code="bad_department")
    template = DocumentTemplate.objects.filter(pk=template_id, is_active=True).first()
    if template is None:
        raise DocumentNotFound(_("没有找到该公文模板"), code="no_template")
    body = template.issuing_body or IssuingBody.objects.filter(department_id=department_id).first()
    if body is None or not body.is_active or body.pk not in issuing_body_ids_for(user_id):
        raise DocumentError(_("您不能以该发文机关的名义拟稿"), code="bad_issuing_body")
    _ensure_process(template.process_key)
    try:
        return _create(
            user_id=user_id,
            template=template,
            body=body,
            department_id=department_id,
            idempotency_key=idempotency_key,
        )
    except IntegrityError:
        winner = OfficialDocument.objects.filter(drafter_id=user_id, idempotency_key=idempotency_key).first()
        if winner is None:
            raise
        return winner.pk


@transaction.atomic
def _create(
    *,
    user_id: int,
    template: DocumentTemplate,
    body: IssuingBody,
    department_id: int,
    idempotency_key: str,
) -> int:
    account = staff_account(user_id)
    if account is None:
        raise DocumentNotFound(_("没有找到该工作人员"), code="not_staff")
    document = OfficialDocument.objects.create(
        issuing_body=body,
        template=template,
        kind=template.kind,
        title="",
        drafter_id=user_id,
        drafting_department_id=department_id,
        printed_by=body.name,
        idempotency_key=idempotency_key,
    )
    BodyVersion.objects.create(
        document=document, number=1, html=template.body_html, author_id=user_id, saved_at=timezone.now()
    )
    workflow_services.start_instance(
        definition_key=template.process_key,
        subject=document.subject,
        department_id=department_id,
        data={"drafter": account.username, "document_id": document.pk, "countersign_departments": []},
        lane_departments={ISSUING_LANE: body.department_id},
    )
    return document.pk


# --- the 发文单 ------------------------------------------------------------------------------------


def editable_document(document_id: int, user_id: int) -> OfficialDocument:
    """The document locked for a change of its 发文单 or 正文: not found outside the 知悉范围, a
    conflict (409) once signed off or when the user has no open step of it."""
    document = OfficialDocument.objects.select_for_update().filter(pk=document_id).first()
    if document is None or access.get_document_for(user_id, document_id) is None:
        raise DocumentNotFound(_("没有找到该公文"), code="not_found")
    if document.is_signed_off:
        raise DocumentStateError(_("公文已签发，正文和发文单不能再修改"), code="signed_off")
    if document.status == DocumentStatus.CANCELLED or not access.may_edit_body(user_id, document):
        raise DocumentStateError(_("您当前没有该公文的办理环节，不能修改发文单"), code="not_editable")
    return document


def _clean_names(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(" ".join(n.split())[:100] for n in names if n and n.strip()))


def _recipients(
    kind: str, department_ids: Iterable[int], names: Iterable[str], departments: dict[int, Any]
) -> list[tuple[str, int | None, str]]:
    rows: list[tuple[str, int | None, str]] = [(kind, d, departments[d].name) for d in department_ids]
    taken = {name for _k, _d, name in rows}
    rows += [(kind, None, name) for name in _clean_names(names) if name not in taken]
    return rows


@transaction.atomic
def update_form(
    *,
    document_id: int,
    user_id: int,
    title: str,
    main_departments: Iterable[int] = (),
    main_names: Iterable[str] = (),
    copy_departments: Iterable[int] = (),
    copy_names: Iterable[str] = (),
    copy_number: str = "",
    secrecy: str = "",
    secrecy_period: str = "",
    urgency: str = "",
    attachments_note: str = "",
    note: str = "",
    printed_by: str = "",
    countersign_departments: Iterable[int] = (),
) -> list[Violation]:
    """Save the 发文单: 标题, 主送/抄送 (platform departments and/or bodies by name), 份号, 密级 and
    保密期限, 紧急程度, 附件说明, 附注, 印发机关 and the departments asked to countersign. Only while
    ``access.may_edit_body`` (else 409, or 404 outside the 知悉范围). The rules (``FORM`` stage) run on
    the new values: a broken one raises DocumentRulesError and nothing is saved. Returns the
    warnings (e.g. a 报告 asking for a reply)."""
    document = editable_document(document_id, user_id)
    mains, copies, signers = (
        list(dict.fromkeys(int(d) for d in ids))
        for ids in (main_departments, copy_departments, countersign_departments)
    )
    departments = departments_by_ids(set(mains) | set(copies) | set(signers))
    unknown = (set(mains) | set(copies) | set(signers)) - set(departments)
    if unknown:
        raise DocumentError(_("所选部门不存在"), code="bad_department")
    if set(mains) & set(copies):
        raise DocumentRulesError([Violation("copy_recipients", _("同一机关不能既是主送又是抄送"))])
    if document.drafting_department_id in signers:
        raise DocumentRulesError([Violation("countersign_departments", _("会签部门须是拟稿部门以外的部门"))])
    if secrecy not in Secrecy.values or urgency not in Urgency.values:
        raise DocumentError(_("请从列表中选择密级和紧急程度"), code="bad_choice")
    recipients = _recipients(RecipientKind.MAIN, mains, main_names, departments) + _recipients(
        RecipientKind.COPY, copies, copy_names, departments
    )
    document.title = " ".join(title.split())
    document.copy_number = copy_number.strip()
    document.secrecy, document.secrecy_period = secrecy, secrecy_period.strip()[:20]
    document.urgency = urgency
    document.attachments_note = attachments_note.strip()
    document.note = note.strip()[:200]
    document.printed_by = printed_by.strip()[:100] or document.issuing_body.name
    fields = DocumentFields(
        kind=document.kind,
        title=document.title,
        main_recipients=tuple(name for kind, _d, name in recipients if kind == RecipientKind.MAIN),
        copy_recipients=tuple(name for kind, _d, name in recipients if kind == RecipientKind.COPY),
        copy_number=document.copy_number,
        secrecy=document.secrecy,
        secrecy_period=document.secrecy_period,
        body_text=body_text(document.pk),
    )
    found = check_document(fields, stage=FORM, allowed_secrecy=allowed_secrecy())
    if any(v.is_error for v in found):
        raise DocumentRulesError(found)
    document.save()
    document.recipients.all().delete()
    positions: dict[str, int] = {}
    for kind, department_id, name in recipients:
        positions[kind] = positions.get(kind, 0) + 1
        DocumentRecipient.objects.create(
            document=document, kind=kind, department_id=department_id, name=name, position=positions[kind]
        )
    document.countersigners.all().delete()
    CountersignDepartment.objects.bulk_create(
        CountersignDepartment(document=document, department_id=d, position=i) for i, d in enumerate(signers)
    )
    return found


# --- 签发 -------------------------------------------------------------------------------------------


def _signature(user_id: int, png: bytes | None, use_saved: bool) -> bytes:
    """The handwritten signature: the PNG drawn on the page (type sniffed and re-encoded like a
    saved signature, at most 1 MB), or the user's saved one."""
    if png:
        try:
            checked = check_upload(
                name="signature.png", data=png, allowed_types=("png",), max_size_mb=SIGNATURE_MAX_MB
            )
        except UploadError as exc:
            raise DocumentError(exc.message, code="bad_signature") from exc
        return bytes(checked.content)
    if use_saved:
        saved = signatures_of({user_id}).get(user_id)
        if saved:
            return saved
        raise DocumentError(_("您还没有保存手写签名，请在签批板上签名"), code="no_saved_signature")
    raise DocumentError(_("请在签批板上手写签名，或使用已保存的签名"), code="signature_required")


@transaction.atomic
def sign_off(
    *,
    task_id: Any,
    user_id: int,
    opinion: str,
    signature_png: bytes | None,
    use_saved_signature: bool,
) -> None:
    """领导签发: the signer (the user, holder of the 领导签发 step), the time, the opinion and the
    handwritten signature are recorded, the 成文日期 is the sign-off date, and the rules of
    ``SIGN_OFF`` run (a 请示 with one 主送, the 签发人 of an upward document …). After this nothing
    of the 正文 or the 发文单 changes. The step completes and 编号 opens."""
    from tongban.documents.services import steps  # the step driver imports this module

    task, document = steps.locked_task_document(task_id, user_id)
    if task.element_id != SIGN_OFF_STEP:
        raise DocumentError(_("该环节不是领导签发"), code="not_sign_off")
    if document.is_signed_off:
        raise DocumentStateError(_("公文已签发"), code="signed_off")
    opinion = opinion.strip()
    if not opinion:
        raise DocumentError(_("请填写签发意见"), code="opinion_required")
    image = _signature(user_id, signature_png, use_saved_signature)
    now = timezone.now()
    document.signer_id = user_id
    refuse_if_broken(document, SIGN_OFF)
    document.signed_off_at, document.signer_opinion = now, opinion
    document.signature_image = image
    document.issued_on = timezone.localdate(now)
    document.save(
        update_fields=[
            "signer",
            "signed_off_at",
            "signer_opinion",
            "signature_image",
            "issued_on",
            "updated_at",
        ]
    )
    try:
        steps.complete(task, document, user_id=user_id, action="sign_off", opinion=opinion)
    except (TaskNotFound, TaskConflict) as exc:
        raise DocumentStateError(exc.message, code=exc.code) from exc
