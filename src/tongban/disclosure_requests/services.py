"""依申请公开: applying, the clock (补正 and 第三方 pauses, the one extension), release files with redaction,
the answer signed off and sealed, redaction rules and the annual report.

Every change runs in one transaction with the request row locked; dates are the server's (Beijing)."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts.selectors import account_summary, names_of
from tongban.core.audit import record
from tongban.core.uploads import CheckedUpload, UploadError, check_upload, scan_upload
from tongban.disclosure_requests import redaction, rules
from tongban.disclosure_requests.access import (
    approver_department_ids,
    handler_department_ids,
    is_government_report_editor,
    is_rule_editor,
)
from tongban.disclosure_requests.errors import RequestError, RequestNotFound, RequestStateError
from tongban.disclosure_requests.models import (
    ORGANIZATION_TYPES,
    AnnualReport,
    AnswerType,
    ApplicantType,
    Delivery,
    DisclosureRequest,
    Extension,
    ExtensionStatus,
    Format,
    Notice,
    Pause,
    PauseKind,
    RedactionRule,
    RefusalGround,
    ReleaseFile,
    ReportStatus,
    RuleKind,
    Status,
)
from tongban.disclosure_requests.pdf import Letter, chinese_date, render_letter
from tongban.disclosure_requests.roles import REQUEST_APPROVER, REQUEST_HANDLER
from tongban.documents.services.letters import seal_letter
from tongban.notifications.services import notify
from tongban.organizations.selectors import department_ref, staff_ids_with_role

MAX_DESCRIPTION = 2000
MAX_FILE_MB = 20
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _audited(request: DisclosureRequest, event: str, user_id: int, *, reason: str = "") -> None:
    """One audit row for an action on a request, for the department handling it."""
    record(
        event=event,
        actor_id=user_id,
        object_type="disclosure_request",
        object_id=request.pk,
        department_id=request.department_id,
        reason=reason,
    )


def _today():
    return timezone.localdate()


def _applicant_url(request_id: int) -> str:
    return reverse("disclosure_requests:mine_detail", args=[request_id])


def _staff_url(request_id: int) -> str:
    return reverse("disclosure_requests:staff_request", args=[request_id])


def _locked(request_id: int) -> DisclosureRequest:
    request = DisclosureRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None:
        raise RequestNotFound(_("没有找到该申请"), code="not_found")
    return request


def _require(user_id: int, request: DisclosureRequest, role: str, event: str) -> None:
    departments = (
        handler_department_ids(user_id) if role == REQUEST_HANDLER else approver_department_ids(user_id)
    )
    if request.department_id not in departments:
        record(
            event=event, actor_id=user_id, object_type="disclosure_request", object_id=request.pk, denied=True
        )
        raise RequestNotFound(_("没有找到该申请"), code="not_found")


def _recompute_due(request: DisclosureRequest) -> None:
    request.due_on = rules.due_date(
        request.received_on, extended=request.extended, paused_days=request.paused_days
    )


def _tell_department(request: DisclosureRequest, *, role: str, title: str, key: str) -> None:
    for user_id in staff_ids_with_role(department_id=request.department_id, role=role):
        notify(
            user_id=user_id,
            title=title,
            body=request.description[:100],
            link=_staff_url(request.pk),
            key=f"{key}:{user_id}",
        )


def _tell_applicant(request: DisclosureRequest, *, title: str, body: str, key: str) -> None:
    notify(user_id=request.applicant_id, title=title, body=body, link=_applicant_url(request.pk), key=key)


# --- applying ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Application:
    department_id: int
    description: str
    purpose: str
    delivery: str
    format: str
    applicant_type: str = ""  # an organization's type; a citizen is always 自然人
    contact_email: str = ""
    postal_address: str = ""


def _application_problems(application: Application, *, kind: str) -> list[tuple[str, str]]:
    problems = []
    if not application.description.strip():
        problems.append(("description", _("请描述所需的政府信息")))
    elif len(application.description) > MAX_DESCRIPTION:
        problems.append(("description", _("所需信息的描述不能超过%(n)d字") % {"n": MAX_DESCRIPTION}))
    if application.delivery not in Delivery.values:
        problems.append(("delivery", _("请选择获取信息的方式")))
    if application.format not in Format.values:
        problems.append(("format", _("请选择信息的载体形式")))
    if application.delivery == Delivery.EMAIL and "@" not in application.contact_email:
        problems.append(("contact_email", _("选择电子邮件获取时，请填写有效的电子邮箱")))
    if application.delivery == Delivery.POST and not application.postal_address.strip():
        problems.append(("postal_address", _("选择邮寄时，请填写邮寄地址")))
    if kind == "enterprise" and application.applicant_type not in ORGANIZATION_TYPES:
        problems.append(("applicant_type", _("请选择申请单位的类型")))
    return problems


class ApplicationError(RequestError):
    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(problems[0][1], code="invalid", details=[m for _f, m in problems])
        self.problems = problems


def submit_request(*, user_id: int, application: Application, idempotency_key: uuid.UUID) -> int:
    """A citizen or enterprise applies; returns the request's id. The same ``idempotency_key`` returns
    the first request again (a retried submission is not duplicated). The receipt number comes from a
    city-wide counter taken under a row lock; the due date is shown at once."""
    existing = DisclosureRequest.objects.filter(applicant_id=user_id, idempotency_key=idempotency_key)
    found = existing.values_list("pk", flat=True).first()
    if found:
        return found
    account = account_summary(user_id)
    if account.kind not in ("citizen", "enterprise"):
        raise RequestError(_("请使用个人或法人账户申请政府信息公开"), code="not_applicant")
    problems = _application_problems(application, kind=account.kind)
    try:
        department = department_ref(application.department_id)
    except Exception:
        department = None
    if department is None:
        problems.insert(0, ("department", _("请选择受理申请的机关")))
    if problems:
        raise ApplicationError(problems)
    applicant_type = (
        ApplicantType.NATURAL_PERSON
        if account.kind == "citizen"
        else ApplicantType(application.applicant_type)
    )
    today = _today()
    try:
        with transaction.atomic():
            from tongban.disclosure_requests.models import ReceiptCounter

            ReceiptCounter.objects.get_or_create(year=today.year)
            counter = ReceiptCounter.objects.select_for_update().get(year=today.year)
            counter.value += 1
            counter.save(update_fields=["value"])
            request = DisclosureRequest.objects.create(
                number=rules.receipt_number(today.year, counter.value),
                applicant_id=user_id,
                applicant_type=applicant_type,
                applicant_name=account.full_name,
                contact_email=application.contact_email.strip(),
                postal_address=application.postal_address.strip(),
                department_id=application.department_id,
                description=application.description.strip(),
                purpose=application.purpose.strip(),
                delivery=application.delivery,
                format=application.format,
                idempotency_key=idempotency_key,
                received_on=today,
                due_on=rules.due_date(today, extended=False, paused_days=0),
            )
            _audited(request, "disclosure_request.submit", user_id)
            transaction.on_commit(lambda: _after_submit(request.pk))
    except IntegrityError:
        found = existing.values_list("pk", flat=True).first()
        if found:
            return found
        raise
    return request.pk


def _after_submit(request_id: int) -> None:
    request = DisclosureRequest.objects.get(pk=request_id)
    _tell_applicant(
        request,
        title=_("已收到您的政府信息公开申请"),
        body=_("申请编号 %(number)s，答复期限 %(due)s。")
        % {"number": request.number, "due": chinese_date(request.due_on)},
        key=f"dr:{request.pk}:received",
    )
    _tell_department(
        request,
        role=REQUEST_HANDLER,
        title=_("新的政府信息公开申请 %(n)s") % {"n": request.number},
        key=f"dr:{request.pk}:new",
    )


# --- handling and the clock ----------------------------------------------------------------------------


def accept(*, request_id: int, user_id: int) -> None:
    """受理: the handler takes the request up (已收到 → 办理中). A retry changes nothing."""
    with transaction.atomic():
        request = _locked(request_id)
        _require(user_id, request, REQUEST_HANDLER, "disclosure_request.accept")
        if request.status != Status.SUBMITTED:
            return
        request.status = Status.HANDLING
        request.save(update_fields=["status", "updated_at"])
        _audited(request, "disclosure_request.accept", user_id)


def _notice(request: DisclosureRequest, *, title: str, paragraphs: tuple[str, ...], key: str) -> Notice:
    department = department_ref(request.department_id)
    letter = Letter(
        title=title,
        number=request.number,
        addressee=request.applicant_name,
        paragraphs=paragraphs,
        issuer=department.name,
        date=_today(),
    )
    pdf, box = render_letter(letter)
    sealed = seal_letter(
        pdf, department_id=request.department_id, issuer_name=department.name, seal_box=box, reason=title
    )
    notice = Notice.objects.create(request=request, title=title, body="\n".join(paragraphs))
    notice.pdf.save(f"{request.pk}-{notice.pk}.pdf", ContentFile(sealed), save=True)
    transaction.on_commit(lambda: _tell_applicant(request, title=title, body=paragraphs[0][:120], key=key))
    return notice


def start_pause(*, request_id: int, user_id: int, kind: str, reason: str) -> None:
    """补正 (the applicant is asked to correct or clarify) or 征求第三方意见: the clock stops from today.
    A reason is required (400); only a request in handling may pause (409)."""
    if kind not in PauseKind.values:
        raise RequestError(_("未知的暂停类型"), code="pause_kind")
    if not reason.strip():
        raise RequestError(_("请填写暂停计时的理由"), code="reason_required")
    with transaction.atomic():
        request = _locked(request_id)
        _require(user_id, request, REQUEST_HANDLER, "disclosure_request.pause")
        if request.status != Status.HANDLING:
            raise RequestStateError(_("只有办理中的申请可以暂停计时"), code="not_handling")
        today = _today()
        Pause.objects.create(
            request=request, kind=kind, reason=reason.strip(), started_on=today, started_by_id=user_id
        )
        request.status = Status.CORRECTION if kind == PauseKind.CORRECTION else Status.CONSULTATION
        request.save(update_fields=["status", "updated_at"])
        if kind == PauseKind.CORRECTION:
            _notice(
                request,
                title=_("政府信息公开申请补正告知书"),
                paragraphs=(
                    _("您于%(date)s提出的政府信息公开申请（%(number)s）需要补正：%(reason)s")
                    % {
                        "date": chinese_date(request.received_on),
                        "number": request.number,
                        "reason": reason.strip(),
                    },
                    _("请在“我的依申请公开”中提交补正内容。答复期限自本机关收到补正之日起继续计算。"),
                ),
                key=f"dr:{request.pk}:pause:{today.isoformat()}:{kind}",
            )
        else:
            _notice(
                request,
                title=_("征求第三方意见告知书"),
                paragraphs=(
                    _("您申请公开的政府信息可能损害第三方合法权益，本机关依法书面征求第三方意见：%(reason)s")
                    % {"reason": reason.strip()},
                    _("征求第三方意见所需时间不计算在答复期限内。"),
                ),
                key=f"dr:{request.pk}:pause:{today.isoformat()}:{kind}",
            )
        _audited(request, "disclosure_request.pause", user_id, reason=kind)


def _end_pause(request: DisclosureRequest, *, kind: str, reply: str) -> None:
    pause = request.pauses.filter(kind=kind, ended_on__isnull=True).order_by("-pk").first()
    if pause is None:
        raise RequestStateError(_("该申请没有正在进行的暂停"), code="no_pause")
    today = _today()
    pause.ended_on = today
    pause.days = rules.pause_days(pause.started_on, today)
    pause.reply = reply.strip()
    pause.save(update_fields=["ended_on", "days", "reply"])
    request.paused_days += pause.days
    request.status = Status.HANDLING
    _recompute_due(request)
    request.save(update_fields=["paused_days", "status", "due_on", "updated_at"])


def reply_correction(*, request_id: int, user_id: int, text: str) -> None:
    """The applicant's 补正: the clock runs again; the paused working days are added to the due date."""
    if not text.strip():
        raise RequestError(_("请填写补正内容"), code="reply_required")
    with transaction.atomic():
        request = _locked(request_id)
        if request.applicant_id != user_id:
            record(
                event="disclosure_request.correct",
                actor_id=user_id,
                object_type="disclosure_request",
                object_id=request_id,
                denied=True,
            )
            raise RequestNotFound(_("没有找到该申请"), code="not_found")
        if request.status != Status.CORRECTION:
            raise RequestStateError(_("该申请不需要补正"), code="not_correction")
        _end_pause(request, kind=PauseKind.CORRECTION, reply=text)
        _audited(request, "disclosure_request.correct", user_id)
        transaction.on_commit(
            lambda: _tell_department(
                request,
                role=REQUEST_HANDLER,
                title=_("申请人已补正 %(n)s") % {"n": request.number},
                key=f"dr:{request.pk}:corrected:{request.paused_days}",
            )
        )


def end_consultation(*, request_id: int, user_id: int, opinion: str) -> None:
    """The third party answered (or the time to answer ran out): the clock runs again."""
    if not opinion.strip():
        raise RequestError(_("请填写第三方意见"), code="opinion_required")
    with transaction.atomic():
        request = _locked(request_id)
        _require(user_id, request, REQUEST_HANDLER, "disclosure_request.consultation_end")
        if request.status != Status.CONSULTATION:
            raise RequestStateError(_("该申请没有在征求第三方意见"), code="not_consultation")
        _end_pause(request, kind=PauseKind.CONSULTATION, reply=opinion)
        _audited(request, "disclosure_request.consultation_end", user_id)


def request_extension(*, request_id: int, user_id: int, reason: str) -> None:
    """The handler asks for the one extension (20 working days) with a reason; a second one is refused."""
    if not reason.strip():
        raise RequestError(_("请填写延期理由"), code="reason_required")
    with transaction.atomic():
        request = _locked(request_id)
        _require(user_id, request, REQUEST_HANDLER, "disclosure_request.extend")
        if not request.is_open or request.status == Status.REVIEW:
            raise RequestStateError(_("该申请当前不能申请延期"), code="not_open")
        if request.extended or request.extensions.filter(status=ExtensionStatus.APPROVED).exists():
            raise RequestStateError(_("答复期限只能延长一次，已经延期过"), code="extended_already")
        if request.extensions.filter(status=ExtensionStatus.PENDING).exists():
            raise RequestStateError(_("已有一份延期申请在等待审批"), code="extension_pending")
        Extension.objects.create(request=request, reason=reason.strip(), requested_by_id=user_id)
        _audited(request, "disclosure_request.extend", user_id)
        transaction.on_commit(
            lambda: _tell_department(
                request,
                role=REQUEST_APPROVER,
                title=_("延期申请待审批 %(n)s") % {"n": request.number},
                key=f"dr:{request.pk}:extension",
            )
        )


def decide_extension(*, request_id: int, user_id: int, approve: bool) -> None:
    """The department's approver decides; approved: 20 more working days and a 延期告知书 to the applicant."""
    with transaction.atomic():
        request = _locked(request_id)
        _require(user_id, request, REQUEST_APPROVER, "disclosure_request.extension_decide")
        extension = request.extensions.filter(status=ExtensionStatus.PENDING).first()
        if extension is None:
            raise RequestStateError(_("没有待审批的延期申请"), code="no_extension")
        extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
        extension.decided_by_id = user_id
        extension.decided_at = timezone.now()
        extension.save(update_fields=["status", "decided_by", "decided_at"])
        if approve:
            request.extended = True
            _recompute_due(request)
            request.save(update_fields=["extended", "due_on", "updated_at"])
            _notice(
                request,
                title=_("政府信息公开申请延期答复告知书"),
                paragraphs=(
                    _(
                        "您于%(date)s提出的政府信息公开申请（%(number)s），因%(reason)s，本机关不能在规定期限内答复。"
                    )
                    % {
                        "date": chinese_date(request.received_on),
                        "number": request.number,
                        "reason": extension.reason,
                    },
                    _(
                        "根据《中华人民共和国政府信息公开条例》第三十三条，经本机关政府信息公开工作机构负责人同意，答复期限延长20个工作日，延长后的答复期限为%(due)s。"
                    )
                    % {"due": chinese_date(request.due_on)},
                ),
                key=f"dr:{request.pk}:extended",
            )
        _audited(
            request,
            "disclosure_request.extension_decide",
            user_id,
            reason="approved" if approve else "refused",
        )


# --- files to release, with redaction ---------------------------------------------------------------------


def active_rules() -> list[redaction.RuleSpec]:
    return [
        redaction.RuleSpec(r.name, r.kind, r.pattern, r.replacement)
        for r in RedactionRule.objects.filter(is_active=True).order_by("pk")
    ]


def _scanned(*, kind: str, mime_type: str, name: str, data: bytes, user_id: int) -> None:
    """The virus scan of ``core.uploads`` for a kind it does not sniff itself (DOCX, TXT)."""
    checked = CheckedUpload(
        kind=kind,
        mime_type=mime_type,
        display_name=name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        is_reencoded=False,
    )
    try:
        scan_upload(checked, uploader_id=user_id)
    except UploadError as exc:
        raise RequestError(exc.message, code=exc.code) from exc


def _checked_file(*, name: str, data: bytes, user_id: int) -> tuple[str, bytes]:
    """(kind, content) of an uploaded file to release: a PDF through ``core.uploads`` (type sniffing,
    size, virus scan); a DOCX (size, zip signature, virus scan; its archive bounded when read) or a
    plain-text file (size, no NUL bytes, virus scan)."""
    lowered = name.lower()
    if lowered.endswith((".docx", ".txt")):
        if len(data) > MAX_FILE_MB * 1024 * 1024:
            raise RequestError(_("所选文件须小于 %(size)sMB") % {"size": MAX_FILE_MB}, code="too_large")
        if lowered.endswith(".docx"):
            if not data.startswith(b"PK\x03\x04"):
                raise RequestError(_("文件类型与扩展名不符"), code="type_mismatch")
            _scanned(kind="docx", mime_type=DOCX_MIME, name=name, data=data, user_id=user_id)
            return "docx", data
        if not data or b"\x00" in data:
            raise RequestError(_("所选文件不是文本文件"), code="not_text")
        _scanned(kind="txt", mime_type="text/plain", name=name, data=data, user_id=user_id)
        return "txt", data
    try:
        checked = check_upload(name=name, data=data, allowed_types=["pdf"], max_size_mb=MAX_FILE_MB)
        scan_upload(checked, uploader_id=user_id)
    except UploadError as exc:
        raise RequestError(exc.message, code=exc.code) from exc
    return "pdf", checked.content


def add_file(*, request_id: int, user_id: int, name: str, data: bytes, terms: str = "") -> int:
    """The handler uploads a file to release: its text is redacted by the active rules and the given
    terms, and a new PDF is made of it; the handler previews it and must confirm before the answer."""
    kind, content = _checked_file(name=name, data=data, user_id=user_id)
    text = redaction.extract_text(content, kind=kind)
    result = redaction.redact(text, active_rules(), terms=redaction.terms_of(terms))
    display = name.replace("/", "_").replace("\\", "_")[-100:] or "file.pdf"
    with transaction.atomic():
        request = _locked(request_id)
        _require(user_id, request, REQUEST_HANDLER, "disclosure_request.file")
        if request.status != Status.HANDLING:
            raise RequestStateError(_("只有办理中的申请可以上传公开文件"), code="not_handling")
        file = ReleaseFile(
            request=request,
            original_name=display,
            summary=result.summary,
            terms=terms.strip(),
            uploaded_by_id=user_id,
        )
        file.original.save("original", ContentFile(content), save=False)
        pdf = redaction.text_pdf(result.text, title=file.released_name.removesuffix(".pdf"))
        file.redacted.save("redacted.pdf", ContentFile(pdf), save=False)
        file.save()
        _audited(request, "disclosure_request.file", user_id, reason=hashlib.sha256(content).hexdigest())
    return file.pk


def _locked_file(
    request_id: int, file_id: int, user_id: int, event: str
) -> tuple[DisclosureRequest, ReleaseFile]:
    request = _locked(request_id)
    _require(user_id, request, REQUEST_HANDLER, event)
    file = request.files.filter(pk=file_id).first()
    if file is None:
        raise RequestNotFound(_("没有找到该文件"), code="not_found")
    if request.status != Status.HANDLING:
        raise RequestStateError(_("只有办理中的申请可以修改公开文件"), code="not_handling")
    return request, file


def confirm_file(*, request_id: int, file_id: int, user_id: int) -> None:
    """The handler has reviewed the redacted version: it may be released."""
    with transaction.atomic():
        request, file = _locked_file(request_id, file_id, user_id, "disclosure_request.file_confirm")
        file.confirmed = True
        file.save(update_fields=["confirmed"])
        _audited(request, "disclosure_request.file_confirm", user_id)


def remove_file(*, request_id: int, file_id: int, user_id: int) -> None:
    with transaction.atomic():
        _request, file = _locked_file(request_id, file_id, user_id, "disclosure_request.file_remove")
        file.original.delete(save=False)
        file.redacted.delete(save=False)
        file.delete()


# --- the answer ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    answer_type: str
    text: str = ""
    refusal_ground: str = ""
    url: str = ""
    holder_name: str = ""
    holder_contact: str = ""


def _answer_problems(answer: Answer, request: DisclosureRequest) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if answer.answer_type not in AnswerType.values:
        return [("answer_type", _("请选择答复类型"))]
    kind = AnswerType(answer.answer_type)
    if kind == AnswerType.ALREADY_PUBLIC and not answer.url.strip().startswith(("http://", "https://", "/")):
        problems.append(("url", _("已公开的信息请填写或选择其公开网址")))
    if kind in (AnswerType.REFUSED, AnswerType.PARTIAL) and answer.refusal_ground not in RefusalGround.values:
        problems.append(("refusal_ground", _("请选择不予公开部分的法律依据")))
    if kind == AnswerType.NOT_HELD and not (answer.holder_name.strip() and answer.holder_contact.strip()):
        problems.append(("holder_name", _("请填写掌握该信息的机关及其联系方式")))
    if kind in (AnswerType.GRANTED, AnswerType.PARTIAL):
        files = list(request.files.all())
        if not files:
            problems.append(("files", _("予以公开或部分公开须上传拟公开的文件")))
        elif any(not f.confirmed for f in files):
            problems.append(("files", _("请先预览并确认每份文件的遮蔽版本")))
    if kind in (AnswerType.REFUSED, AnswerType.REPEATED, AnswerType.NOT_EXIST) and not answer.text.strip():
        problems.append(("text", _("请填写答复说明")))
    return problems


def draft_answer(*, request_id: int, user_id: int, answer: Answer) -> None:
    """The handler drafts the answer and sends it to the approver (办理中 → 待审核签发)."""
    with transaction.atomic():
        request = _locked(request_id)
        _require(user_id, request, REQUEST_HANDLER, "disclosure_request.answer")
        if request.status != Status.HANDLING:
            raise RequestStateError(_("只有办理中的申请可以拟写答复"), code="not_handling")
        problems = _answer_problems(answer, request)
        if problems:
            raise ApplicationError(problems)
        kind = AnswerType(answer.answer_type)
        request.answer_type = kind
        request.refusal_ground = (
            answer.refusal_ground if kind in (AnswerType.REFUSED, AnswerType.PARTIAL) else ""
        )
        request.answer_text = answer.text.strip()
        request.answer_url = answer.url.strip() if kind == AnswerType.ALREADY_PUBLIC else ""
        request.holder_name = answer.holder_name.strip() if kind == AnswerType.NOT_HELD else ""
        request.holder_contact = answer.holder_contact.strip() if kind == AnswerType.NOT_HELD else ""
        request.drafted_by_id = user_id
        request.status = Status.REVIEW
        request.save()
        _audited(request, "disclosure_request.answer", user_id, reason=kind)
        transaction.on_commit(
            lambda: _tell_department(
                request,
                role=REQUEST_APPROVER,
                title=_("答复待审核签发 %(n)s") % {"n": request.number},
                key=f"dr:{request.pk}:review:{timezone.now().timestamp()}",
            )
        )


def return_answer(*, request_id: int, user_id: int) -> None:
    """The approver sends the draft back to the handler (待审核签发 → 办理中)."""
    with transaction.atomic():
        request = _locked(request_id)
        _require(user_id, request, REQUEST_APPROVER, "disclosure_request.return")
        if request.status != Status.REVIEW:
            raise RequestStateError(_("该申请没有待审核的答复"), code="not_review")
        request.status = Status.HANDLING
        request.save(update_fields=["status", "updated_at"])
        _audited(request, "disclosure_request.return", user_id)


GROUND_LAW = {
    "state_secret": "第十四条",
    "law_forbids": "第十四条",
    "security": "第十四条",
    "third_party": "第十五条",
    "internal": "第十六条第一款",
    "process": "第十六条第二款",
    "enforcement": "第十六条第二款",
    "other": "",
}


def answer_paragraphs(request: DisclosureRequest, *, files: list[ReleaseFile]) -> tuple[str, ...]:
    """The 告知书's text for the answer type."""
    opening = _(
        "您于%(date)s向本机关提出的政府信息公开申请（%(number)s）收悉。您申请获取：%(description)s"
    ) % {
        "date": chinese_date(request.received_on),
        "number": request.number,
        "description": request.description,
    }
    kind = request.answer_type
    ground = RefusalGround(request.refusal_ground).label if request.refusal_ground else ""
    article = GROUND_LAW.get(request.refusal_ground, "")
    names = "、".join(f.released_name for f in files)
    if kind == AnswerType.ALREADY_PUBLIC:
        body = _(
            "经审查，您申请的信息已经主动公开。根据《中华人民共和国政府信息公开条例》第三十六条第（一）项，请通过以下网址获取：%(url)s"
        ) % {"url": request.answer_url}
    elif kind == AnswerType.GRANTED:
        body = _(
            "经审查，根据《中华人民共和国政府信息公开条例》第三十六条第（二）项，本机关决定予以公开，所附文件：%(files)s。"
        ) % {"files": names}
    elif kind == AnswerType.PARTIAL:
        body = _(
            "经审查，您申请的信息中部分内容%(ground)s，根据《中华人民共和国政府信息公开条例》%(article)s和第三十七条，本机关对该部分作区分处理后予以公开，所附文件：%(files)s。"
        ) % {"ground": ground, "article": article or "", "files": names}
    elif kind == AnswerType.REFUSED:
        body = _(
            "经审查，您申请的信息%(ground)s，根据《中华人民共和国政府信息公开条例》%(article)s和第三十六条第（三）项，本机关决定不予公开。"
        ) % {"ground": ground, "article": article or ""}
    elif kind == AnswerType.NOT_EXIST:
        body = _(
            "经检索，本机关未制作或获取您申请的信息，根据《中华人民共和国政府信息公开条例》第三十六条第（四）项，告知您该政府信息不存在。"
        )
    elif kind == AnswerType.NOT_HELD:
        body = _(
            "经审查，您申请的信息不属于本机关负责公开。根据《中华人民共和国政府信息公开条例》第三十六条第（五）项，该信息由%(holder)s掌握，联系方式：%(contact)s。"
        ) % {"holder": request.holder_name, "contact": request.holder_contact}
    else:
        body = _(
            "经审查，您的申请属于重复申请，本机关已就相同内容作出答复，根据《中华人民共和国政府信息公开条例》第三十六条第（六）项，不予重复处理。"
        )
    parts = [opening, body]
    if request.answer_text:
        parts.append(request.answer_text)
    parts.append(
        _(
            "如对本答复不服，可以在收到本告知书之日起六十日内依法申请行政复议，或者在六个月内依法提起行政诉讼。"
        )
    )
    return tuple(parts)


def sign_answer(*, request_id: int, user_id: int) -> None:
    """审核签发: the approver signs off; the 告知书 is made, sealed with the department's seal and delivered
    to the applicant's account with the redacted files (待审核签发 → 已答复). A retry changes nothing."""
    with transaction.atomic():
        request = _locked(request_id)
        _require(user_id, request, REQUEST_APPROVER, "disclosure_request.sign")
        if request.status == Status.ANSWERED:
            return
        if request.status != Status.REVIEW:
            raise RequestStateError(_("该申请没有待审核的答复"), code="not_review")
        department = department_ref(request.department_id)
        today = _today()
        files = (
            list(request.files.all())
            if request.answer_type in (AnswerType.GRANTED, AnswerType.PARTIAL)
            else []
        )
        letter = Letter(
            title=_("政府信息公开申请答复告知书"),
            number=request.number,
            addressee=request.applicant_name,
            paragraphs=answer_paragraphs(request, files=files),
            issuer=department.name,
            date=today,
        )
        pdf, box = render_letter(letter)
        sealed = seal_letter(
            pdf,
            department_id=request.department_id,
            issuer_name=department.name,
            seal_box=box,
            reason=letter.title,
        )
        digest = hashlib.sha256(sealed).hexdigest()
        request.answer_pdf.save(f"{request.pk}-{digest[:16]}.pdf", ContentFile(sealed), save=False)
        request.answer_sha256 = digest
        request.signed_by_id = user_id
        request.answered_on = today
        request.status = Status.ANSWERED
        request.save()
        _audited(request, "disclosure_request.sign", user_id, reason=digest)
        transaction.on_commit(
            lambda: _tell_applicant(
                request,
                title=_("您的政府信息公开申请已答复"),
                body=_("%(number)s：%(answer)s。请在“我的依申请公开”中查看答复告知书。")
                % {"number": request.number, "answer": AnswerType(request.answer_type).label},
                key=f"dr:{request.pk}:answered",
            )
        )


# --- redaction rules ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleFields:
    name: str
    kind: str
    pattern: str
    replacement: str
    is_active: bool


def save_rule(*, user_id: int, rule_id: int | None, fields: RuleFields) -> int:
    """Create or change a redaction rule (any 依申请公开审核签发). A custom expression is compiled and
    refused (400) when too long, nested or invalid."""
    if not is_rule_editor(user_id):
        record(
            event="disclosure_request.rule",
            actor_id=user_id,
            object_type="redaction_rule",
            object_id=rule_id or "",
            denied=True,
        )
        raise RequestNotFound(_("没有找到该规则"), code="not_found")
    problems: list[tuple[str, str]] = []
    if not fields.name.strip():
        problems.append(("name", _("请填写规则名称")))
    if fields.kind not in RuleKind.values:
        problems.append(("kind", _("请选择规则类型")))
    elif fields.kind == RuleKind.REGEX:
        try:
            redaction.compile_pattern(fields.pattern)
        except RequestError as exc:
            problems.append(("pattern", exc.message))
    elif fields.kind == RuleKind.TERMS and not redaction.terms_of(fields.pattern):
        problems.append(("pattern", _("请填写要遮蔽的词语，每行一个")))
    if not fields.replacement.strip():
        problems.append(("replacement", _("请填写替换文字")))
    if problems:
        raise ApplicationError(problems)
    with transaction.atomic():
        rule = (
            RedactionRule.objects.select_for_update().filter(pk=rule_id).first()
            if rule_id
            else RedactionRule()
        )
        if rule is None:
            raise RequestNotFound(_("没有找到该规则"), code="not_found")
        if RedactionRule.objects.filter(name=fields.name.strip()).exclude(pk=rule.pk).exists():
            raise ApplicationError([("name", _("已有同名的规则"))])
        rule.name = fields.name.strip()
        rule.kind = fields.kind
        rule.pattern = fields.pattern.strip() if fields.kind in (RuleKind.REGEX, RuleKind.TERMS) else ""
        rule.replacement = fields.replacement.strip()
        rule.is_active = fields.is_active
        rule.save()
        record(
            event="disclosure_request.rule", actor_id=user_id, object_type="redaction_rule", object_id=rule.pk
        )
    return rule.pk


# --- the annual report ----------------------------------------------------------------------------------------


def _report_editor_check(user_id: int, department_id: int | None) -> None:
    allowed = (
        is_government_report_editor(user_id)
        if department_id is None
        else department_id in approver_department_ids(user_id)
    )
    if not allowed:
        record(
            event="disclosure_request.report",
            actor_id=user_id,
            object_type="annual_report",
            object_id=department_id or "government",
            denied=True,
        )
        raise RequestNotFound(_("没有找到该年度报告"), code="not_found")


def ensure_report(*, user_id: int, year: int, department_id: int | None) -> int:
    """The draft report of a department (or of the government) for ``year``, made on first use."""
    _report_editor_check(user_id, department_id)
    name = department_ref(department_id).name if department_id else _("本级人民政府")
    report, _created = AnnualReport.objects.get_or_create(
        year=year,
        department_id=department_id,
        defaults={
            "overview": _(
                "%(year)d年，%(name)s认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开、依申请公开、政府信息管理、平台建设和监督保障等工作有序开展。"
            )
            % {"year": year, "name": name},
            "problems": _("（填写存在的主要问题及改进情况）"),
            "other_matters": _("本年度未收取信息处理费。"),
        },
    )
    return report.pk


@dataclass(frozen=True)
class ReportFields:
    overview: str
    proactive_note: str
    problems: str
    other_matters: str
    review_counts: dict[str, int]


def update_report(*, user_id: int, report_id: int, fields: ReportFields) -> None:
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().filter(pk=report_id).first()
        if report is None:
            raise RequestNotFound(_("没有找到该年度报告"), code="not_found")
        _report_editor_check(user_id, report.department_id)
        if report.status == ReportStatus.PUBLISHED:
            raise RequestStateError(_("年度报告已发布，不能再修改"), code="published")
        if any(v < 0 for v in fields.review_counts.values()):
            raise ApplicationError([("review", _("行政复议、行政诉讼数量不能为负数"))])
        report.overview = fields.overview
        report.proactive_note = fields.proactive_note
        report.problems = fields.problems
        report.other_matters = fields.other_matters
        report.review_counts = fields.review_counts
        report.save()
        record(
            event="disclosure_request.report",
            actor_id=user_id,
            object_type="annual_report",
            object_id=report.pk,
        )


def publish_report(*, user_id: int, report_id: int) -> None:
    """Publish: the figures are fixed in the report (snapshot) and its PDF made; the public page opens."""
    from tongban.disclosure_requests.selectors import report_content, report_pdf

    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().filter(pk=report_id).first()
        if report is None:
            raise RequestNotFound(_("没有找到该年度报告"), code="not_found")
        _report_editor_check(user_id, report.department_id)
        if report.status == ReportStatus.PUBLISHED:
            return
        content = report_content(report)
        report.snapshot = content.snapshot()
        report.status = ReportStatus.PUBLISHED
        report.published_at = timezone.now()
        report.published_by_id = user_id
        report.pdf.save(f"report-{report.pk}.pdf", ContentFile(report_pdf(content)), save=False)
        report.save()
        record(
            event="disclosure_request.report_publish",
            actor_id=user_id,
            object_type="annual_report",
            object_id=report.pk,
        )


def staff_names(user_ids: set[int]) -> dict[int, str]:
    return names_of(user_ids)
