"""主动公开 writes: draft an item (its 索引号 under a locked counter, its review process), edit it,
attach files, mask or justify the gate's findings, drive the review (拟稿 → 保密审查 → 领导审核; the
leader's approval publishes), 退回, revise, change validity, withdraw, disclose a distributed 公文,
and the admin's 公开指南 and 季点评. Each call owns its transaction.

The review runs on the workflow engine: process ``disclosure_review`` (family ``disclosure``,
``processes/disclosure_review.bpmn``). T-I1: an item is published only by completing the 领导审核
step, by a person who is neither its author nor its 保密审查 reviewer; T-I2: the personal-data and
sensitive-word gate runs at 送审 and again at publishing."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts.selectors import staff_account
from tongban.core.audit import record
from tongban.core.pii import mask_personal_data
from tongban.core.search import index_tokens
from tongban.core.uploads import UploadError, check_upload
from tongban.disclosure import rules
from tongban.disclosure.errors import (
    DisclosureError,
    DisclosureNotFound,
    DisclosureStateError,
    GateBlocked,
)
from tongban.disclosure.extraction import text_of
from tongban.disclosure.models import (
    Category,
    DisclosureAttachment,
    DisclosureGuide,
    DisclosureItem,
    IndexCounter,
    ItemStatus,
    PolicyKind,
    QuarterlyReview,
    Topic,
    Validity,
    item_id_of,
)
from tongban.disclosure.roles import DISCLOSURE_APPROVER, DISCLOSURE_EDITOR
from tongban.disclosure.selectors import (
    admin_department_ids,
    gate_findings,
    get_item_for,
    has_role_in,
)
from tongban.organizations.selectors import department_ref
from tongban.workflow import selectors as workflow_selectors
from tongban.workflow import services as workflow_services
from tongban.workflow.errors import TaskConflict, TaskNotFound, WorkflowError
from tongban.workflow.models import ProcessFamily
from tongban.workflow.types import Completion

PROCESS_KEY = "disclosure_review"
PROCESS_FILE = Path(__file__).resolve().parent / "processes" / f"{PROCESS_KEY}.bpmn"
DRAFT, SECRECY_REVIEW, APPROVAL = "draft", "secrecy_review", "approval"
ACTIONS = {
    DRAFT: ("submit", _("送审")),
    SECRECY_REVIEW: ("agree", _("审查通过")),
    APPROVAL: ("publish", _("审核通过并发布")),
}
ATTACHMENT_TYPES = ("pdf",)
ATTACHMENT_MAX_MB = 20
MAX_ATTACHMENTS = 10


def install_process() -> int:
    """Store the shipped review process when missing or changed; idempotent."""
    return workflow_services.install_definition(
        key=PROCESS_KEY, data=PROCESS_FILE.read_bytes(), family=ProcessFamily.DISCLOSURE
    )


def _ensure_process() -> None:
    if workflow_selectors.published_process(PROCESS_KEY) is None:
        install_process()


def _refuse_broken(fields: rules.ItemFields) -> None:
    found = rules.check_item(fields, today=timezone.localdate())
    if fields.category not in Category.values:
        found.append(rules.Violation("category", _("请选择公开目录")))
    if fields.policy_kind and fields.policy_kind not in PolicyKind.values:
        found.append(rules.Violation("policy_kind", _("请选择政策文件的类别")))
    if fields.topic not in Topic.values:
        found.append(rules.Violation("topic", _("请选择主题分类")))
    if fields.validity not in Validity.values:
        found.append(rules.Violation("validity", _("请选择有效性")))
    if found:
        raise DisclosureError(
            found[0].message, field=found[0].field, details=[f"{v.field}:{v.message}" for v in found]
        )


def _next_index_number(department_id: int, year: int) -> str:
    """The department's next 索引号 of the year, the counter row locked so two drafts never share one."""
    IndexCounter.objects.get_or_create(department_id=department_id, year=year)
    counter = IndexCounter.objects.select_for_update().get(department_id=department_id, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    prefix = department_ref(department_id).uscc or f"D{department_id:06d}"
    return rules.index_number(prefix, year, counter.last)


def _apply(item: DisclosureItem, fields: rules.ItemFields) -> None:
    item.category = fields.category
    item.policy_kind = fields.policy_kind if fields.category == Category.POLICY else ""
    item.key_area = fields.key_area.strip() if fields.category == Category.KEY_AREAS else ""
    item.title = " ".join(fields.title.split())
    item.body = fields.body.strip()
    item.issuer = fields.issuer.strip()[:100] or department_ref(item.department_id).name
    item.written_on = fields.written_on
    item.document_number = fields.document_number.strip()[:50]
    item.topic = fields.topic
    item.validity = fields.validity
    item.validity_changed_on = fields.validity_changed_on if fields.validity != Validity.VALID else None
    item.changed_on = fields.changed_on or item.changed_on or timezone.localdate()


def create_item(
    *,
    user_id: int,
    department_id: int,
    fields: rules.ItemFields,
    idempotency_key: str,
    source_document_id: int | None = None,
) -> int:
    """拟稿: a new item of the user's department (one where the user is 信息公开编辑), its 索引号 and
    its review process, whose 拟稿 step is the user's. A retried submission (same key) returns the
    item it created. Returns the item id."""
    if not idempotency_key:
        raise DisclosureError(_("页面已过期，请重新打开新建页面"), code="no_key")
    existing = DisclosureItem.objects.filter(author_id=user_id, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing.pk
    if not has_role_in(user_id, department_id, DISCLOSURE_EDITOR):
        raise DisclosureError(_("请选择您担任信息公开编辑的部门"), code="bad_department", field="department")
    _refuse_broken(fields)
    _ensure_process()
    try:
        return _create(
            user_id=user_id,
            department_id=department_id,
            fields=fields,
            idempotency_key=idempotency_key,
            source_document_id=source_document_id,
        )
    except IntegrityError:
        winner = DisclosureItem.objects.filter(author_id=user_id, idempotency_key=idempotency_key).first()
        if winner is None:
            raise
        return winner.pk


@transaction.atomic
def _create(
    *,
    user_id: int,
    department_id: int,
    fields: rules.ItemFields,
    idempotency_key: str,
    source_document_id: int | None,
) -> int:
    account = staff_account(user_id)
    if account is None:
        raise DisclosureNotFound(_("没有找到该工作人员"), code="not_staff")
    today = timezone.localdate()
    item = DisclosureItem(
        department_id=department_id,
        author_id=user_id,
        idempotency_key=idempotency_key,
        index_number=_next_index_number(department_id, today.year),
        source_document_id=source_document_id,
        changed_on=today,
    )
    _apply(item, fields)
    item.save()
    _start_round(item, account.username)
    record(
        event="disclosure.created",
        actor_id=user_id,
        object_type="disclosure_item",
        object_id=item.pk,
        department_id=department_id,
    )
    return item.pk


def _start_round(item: DisclosureItem, editor_username: str) -> None:
    workflow_services.start_instance(
        definition_key=PROCESS_KEY,
        subject=item.subject,
        department_id=item.department_id,
        data={"editor": editor_username, "item_id": item.pk},
    )


def _locked(item_id: int) -> DisclosureItem:
    item = DisclosureItem.objects.select_for_update().filter(pk=item_id).first()
    if item is None:
        raise DisclosureNotFound(_("没有找到该信息"), code="not_found")
    return item


def _open_draft_task(item: DisclosureItem, user_id: int) -> Any:
    """The item's open 拟稿 step, when it is the user's; else a conflict (409)."""
    for task in workflow_selectors.open_tasks_of(item.subject):
        if task.element_id == DRAFT and (
            task.assignee_id == user_id
            or (task.assignee_id is None and has_role_in(user_id, item.department_id, DISCLOSURE_EDITOR))
        ):
            return task
    raise DisclosureStateError(_("该信息已送审或已发布，当前不能修改"), code="not_editable")


def _editable(item_id: int, user_id: int) -> DisclosureItem:
    if get_item_for(user_id, item_id) is None:
        raise DisclosureNotFound(_("没有找到该信息"), code="not_found")
    item = _locked(item_id)
    if item.status != ItemStatus.DRAFT:
        raise DisclosureStateError(_("该信息已送审或已发布，当前不能修改"), code="not_editable")
    _open_draft_task(item, user_id)
    return item


@transaction.atomic
def update_item(*, item_id: int, user_id: int, fields: rules.ItemFields) -> None:
    """Change a draft (only at its 拟稿 step, by its editor). Changing the text drops an earlier
    justification when the findings change (``rules.is_blocked``)."""
    item = _editable(item_id, user_id)
    _refuse_broken(fields)
    _apply(item, fields)
    item.save()


@transaction.atomic
def add_attachment(*, item_id: int, user_id: int, name: str, data: bytes) -> int:
    """Attach a PDF to a draft (``core.uploads`` checks: type, size, virus); its text is kept for the
    personal-data check."""
    item = _editable(item_id, user_id)
    if item.attachments.count() >= MAX_ATTACHMENTS:
        raise DisclosureError(_("附件最多10个"), code="too_many", field="file")
    try:
        checked = check_upload(
            name=name, data=data, allowed_types=ATTACHMENT_TYPES, max_size_mb=ATTACHMENT_MAX_MB
        )
    except UploadError as exc:
        raise DisclosureError(exc.message, code="bad_upload", field="file") from exc
    content = bytes(checked.content)
    attachment = DisclosureAttachment.objects.create(
        item=item,
        name=checked.display_name[:120],
        mime_type=checked.mime_type,
        size=checked.size,
        sha256=checked.sha256,
        content=content,
        text=text_of(checked.kind, content),
    )
    return attachment.pk


@transaction.atomic
def remove_attachment(*, item_id: int, user_id: int, attachment_id: int) -> None:
    item = _editable(item_id, user_id)
    deleted, _rows = DisclosureAttachment.objects.filter(item=item, pk=attachment_id).delete()
    if not deleted:
        raise DisclosureNotFound(_("没有找到该附件"), code="not_found")


@transaction.atomic
def mask_item_text(*, item_id: int, user_id: int) -> None:
    """遮盖: every piece of personal data in the title and body replaced by its mask (身份证号码
    1101**********4514 …). Attachments are replaced by the editor (remove, upload a redacted copy)."""
    item = _editable(item_id, user_id)
    item.title = mask_personal_data(item.title)[:200]
    item.body = mask_personal_data(item.body)
    item.save(update_fields=["title", "body", "updated_at"])


@transaction.atomic
def justify_findings(*, item_id: int, user_id: int, text: str) -> None:
    """发布说明: the editor's written reason to publish despite the current blocking findings (e.g.
    a company's 统一社会信用代码 in a 行政许可 notice). It covers exactly these findings; the reviewers
    see it."""
    item = _editable(item_id, user_id)
    text = text.strip()
    if not text:
        raise DisclosureError(
            _("请填写需要公开这些内容的理由"), code="reason_required", field="justification"
        )
    findings = gate_findings(item)
    if not rules.fingerprint(findings):
        raise DisclosureError(_("没有需要说明的检查结果"), code="nothing_to_justify", field="justification")
    item.justification = text[:2000]
    item.justified_findings = rules.fingerprint(findings)
    item.save(update_fields=["justification", "justified_findings", "updated_at"])
    record(
        event="disclosure.justified",
        actor_id=user_id,
        object_type="disclosure_item",
        object_id=item.pk,
        department_id=item.department_id,
    )


def _refuse_if_blocked(item: DisclosureItem) -> None:
    findings = gate_findings(item)
    if rules.is_blocked(findings, item.justified_findings):
        blocking = [f for f in findings if f.blocks]
        raise GateBlocked(
            _("发现个人信息或敏感词，请遮盖或删除后再提交，确需公开的请填写发布说明"),
            code="gate_blocked",
            field="findings",
            details=[f"{f.source}：{f.kind} {f.shown}" for f in blocking],
        )


def _complete(task_id: uuid.UUID, user_id: int, element_id: str, opinion: str) -> Completion:
    action, label = ACTIONS[element_id]
    try:
        return workflow_services.complete_task(
            task_id=task_id, user_id=user_id, action=action, action_label=str(label), opinion=opinion, data={}
        )
    except TaskNotFound as exc:
        raise DisclosureNotFound(exc.message, code=exc.code) from exc
    except TaskConflict as exc:
        raise DisclosureStateError(exc.message, code=exc.code) from exc
    except WorkflowError as exc:
        raise DisclosureError(exc.message, code=exc.code) from exc


def _task_and_item(task_id: uuid.UUID, user_id: int) -> tuple[Any, DisclosureItem]:
    task = workflow_selectors.task_for(user_id, task_id)
    item_id = item_id_of(task.subject) if task else None
    if task is None or item_id is None:
        raise DisclosureNotFound(_("没有找到该待办"), code="not_found")
    item = _locked(item_id)
    if item.subject != task.subject:
        raise DisclosureStateError(_("该待办属于已结束的审核轮次"), code="old_round")
    if task.status != "open":
        raise DisclosureStateError(_("该环节已办理"), code="not_open")
    return task, item


@transaction.atomic
def handle_step(*, task_id: uuid.UUID, user_id: int, opinion: str = "") -> str:
    """办理 the user's step of an item: 送审 (the gate first), 审查通过 (not by the author), 审核通过
    (publishes: ``_publish``). Returns the item's new status."""
    task, item = _task_and_item(task_id, user_id)
    opinion = opinion.strip()
    if task.element_id == DRAFT:
        _refuse_if_blocked(item)
        _complete(task.id, user_id, DRAFT, opinion)
        item.status = ItemStatus.IN_REVIEW
        item.secrecy_reviewer_id = None
        item.approver_id = None
        item.save(update_fields=["status", "secrecy_reviewer", "approver", "updated_at"])
    elif task.element_id == SECRECY_REVIEW:
        if user_id == item.author_id:
            raise DisclosureError(_("拟稿人不能审查自己拟写的信息"), code="self_review")
        _complete(task.id, user_id, SECRECY_REVIEW, opinion)
        item.secrecy_reviewer_id = user_id
        item.save(update_fields=["secrecy_reviewer", "updated_at"])
    elif task.element_id == APPROVAL:
        _publish(item, task, user_id, opinion)
    else:
        raise DisclosureError(_("请选择办理结果"), code="invalid_action")
    return item.status


def _publish(item: DisclosureItem, task: Any, user_id: int, opinion: str) -> None:
    """T-I1: both reviews done by two people, neither the author; T-I2: the gate again."""
    if item.secrecy_reviewer_id is None:
        raise DisclosureStateError(_("尚未完成保密审查，不能发布"), code="not_reviewed")
    if user_id == item.author_id:
        raise DisclosureError(_("拟稿人不能审核发布自己拟写的信息"), code="self_review")
    if user_id == item.secrecy_reviewer_id:
        raise DisclosureError(_("保密审查和领导审核须由不同的人员办理"), code="same_reviewer")
    _refuse_if_blocked(item)
    completion = _complete(task.id, user_id, APPROVAL, opinion)
    if not completion.finished:
        raise DisclosureStateError(_("审核流程尚未结束"), code="not_finished")
    now = timezone.now()
    today = timezone.localdate(now)
    item.status = ItemStatus.PUBLISHED
    item.approver_id = user_id
    item.published_at = now
    item.published_on = today
    item.first_published_on = item.first_published_on or today
    item.search_tokens = _tokens(item)
    item.save()
    record(
        event="disclosure.published",
        actor_id=user_id,
        object_type="disclosure_item",
        object_id=item.pk,
        department_id=item.department_id,
    )


def _tokens(item: DisclosureItem) -> str:
    return index_tokens(item.title, item.document_number, item.issuer, item.body[:20_000])


@transaction.atomic
def publish_item(*, item_id: int, user_id: int, opinion: str = "") -> None:
    """发布 (the publish URL): the user's open 领导审核 step of the item, completed. A draft, an item
    whose 领导审核 is not open, or one already published: 409 (T-I1)."""
    if get_item_for(user_id, item_id) is None:
        raise DisclosureNotFound(_("没有找到该信息"), code="not_found")
    item = _locked(item_id)
    approval = [t for t in workflow_selectors.open_tasks_of(item.subject) if t.element_id == APPROVAL]
    if item.status != ItemStatus.IN_REVIEW or not approval:
        raise DisclosureStateError(_("该信息尚未通过保密审查，不能发布"), code="not_reviewed")
    task = workflow_selectors.task_for(user_id, approval[0].id)
    if task is None:
        raise DisclosureError(_("您不是该信息的审核领导"), code="not_approver")
    _publish(item, task, user_id, opinion)


@transaction.atomic
def send_back_step(*, task_id: uuid.UUID, user_id: int, target_element_id: str, reason: str) -> None:
    """退回 to 拟稿 (or from 领导审核 to 保密审查) with a reason the returned step sees."""
    task, item = _task_and_item(task_id, user_id)
    if not reason.strip():
        raise DisclosureError(_("请填写退回理由"), code="reason_required", field="reason")
    try:
        workflow_services.send_back(
            task_id=task.id, user_id=user_id, target_element_id=target_element_id, reason=reason
        )
    except TaskNotFound as exc:
        raise DisclosureNotFound(exc.message, code=exc.code) from exc
    except TaskConflict as exc:
        raise DisclosureStateError(exc.message, code=exc.code) from exc
    except WorkflowError as exc:
        raise DisclosureError(exc.message, code=exc.code, field="target") from exc
    if target_element_id == DRAFT:
        item.status = ItemStatus.DRAFT
    item.secrecy_reviewer_id = (
        None if target_element_id in (DRAFT, SECRECY_REVIEW) else item.secrecy_reviewer_id
    )
    item.save(update_fields=["status", "secrecy_reviewer", "updated_at"])


@transaction.atomic
def revise_item(*, item_id: int, user_id: int, changed_on: dt.date | None = None) -> None:
    """修改已发布信息: a published (or withdrawn) item goes back to 拟稿 for a new review round; the
    change's 20-working-day deadline counts from ``changed_on`` (today when not given). It leaves the
    public catalogue until published again."""
    if get_item_for(user_id, item_id) is None:
        raise DisclosureNotFound(_("没有找到该信息"), code="not_found")
    item = _locked(item_id)
    if item.status not in (ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN):
        raise DisclosureStateError(_("只有已发布或已撤回的信息可以修改后重新发布"), code="not_published")
    if not has_role_in(user_id, item.department_id, DISCLOSURE_EDITOR):
        raise DisclosureError(_("只有本部门的信息公开编辑可以修改"), code="not_editor")
    account = staff_account(user_id)
    if account is None:
        raise DisclosureNotFound(_("没有找到该工作人员"), code="not_staff")
    item.review_round += 1
    item.status = ItemStatus.DRAFT
    item.changed_on = changed_on or timezone.localdate()
    item.secrecy_reviewer_id = item.approver_id = None
    item.author_id = user_id
    item.save()
    _start_round(item, account.username)


def _refuse_unless_manager(item: DisclosureItem, user_id: int) -> None:
    if not (has_role_in(user_id, item.department_id, DISCLOSURE_APPROVER) or admin_department_ids(user_id)):
        raise DisclosureError(_("只有本部门的公开审核领导或政务公开管理员可以办理"), code="not_manager")


@transaction.atomic
def set_validity(*, item_id: int, user_id: int, validity: str, changed_on: dt.date) -> None:
    """失效/废止 (or 有效 again) of a published item, with its date; the item stays in the catalogue
    marked as such."""
    if get_item_for(user_id, item_id) is None:
        raise DisclosureNotFound(_("没有找到该信息"), code="not_found")
    item = _locked(item_id)
    _refuse_unless_manager(item, user_id)
    if item.status != ItemStatus.PUBLISHED:
        raise DisclosureStateError(_("只有已发布的信息可以标注有效性"), code="not_published")
    if validity not in Validity.values:
        raise DisclosureError(_("请选择有效性"), code="bad_validity", field="validity")
    if changed_on > timezone.localdate():
        raise DisclosureError(_("失效或废止日期须不晚于今天"), code="future", field="validity_changed_on")
    item.validity = validity
    item.validity_changed_on = None if validity == Validity.VALID else changed_on
    item.save(update_fields=["validity", "validity_changed_on", "updated_at"])


@transaction.atomic
def withdraw_item(*, item_id: int, user_id: int, reason: str) -> None:
    """撤回 a published item from every public channel (a mistake found after publishing)."""
    if get_item_for(user_id, item_id) is None:
        raise DisclosureNotFound(_("没有找到该信息"), code="not_found")
    item = _locked(item_id)
    _refuse_unless_manager(item, user_id)
    if item.status != ItemStatus.PUBLISHED:
        raise DisclosureStateError(_("该信息未发布"), code="not_published")
    if not reason.strip():
        raise DisclosureError(_("请填写撤回理由"), code="reason_required", field="reason")
    item.status = ItemStatus.WITHDRAWN
    item.save(update_fields=["status", "updated_at"])
    record(
        event="disclosure.withdrawn",
        actor_id=user_id,
        object_type="disclosure_item",
        object_id=item.pk,
        department_id=item.department_id,
    )


# --- 公文 → 主动公开 -------------------------------------------------------------------------------


DISCLOSABLE_DOCUMENT_STATES = ("distributed", "archived")


def disclose_document(*, user_id: int, document_id: int, department_id: int) -> int:
    """一键公开: a distributed, unclassified 发文 the user may see becomes a disclosure item of
    ``department_id`` (one where the user is 信息公开编辑) prefilled with its 标题, 文号, 成文日期, 正文
    and the sealed PDF, category 政策文件 (其他政策文件), and is sent to review at once (送审; when
    the gate finds something the item waits at 拟稿 with the findings listed). One item per
    document: a second call returns the first. Returns the item id."""
    from tongban.documents import access as document_access  # documents sits below: read-only use
    from tongban.documents.services.drafting import body_text

    existing = DisclosureItem.objects.filter(source_document_id=document_id).first()
    if existing is not None:
        return existing.pk
    document = document_access.get_document_for(user_id, document_id)
    if document is None:
        raise DisclosureNotFound(_("没有找到该公文"), code="not_found")
    if document.status not in DISCLOSABLE_DOCUMENT_STATES:
        raise DisclosureStateError(_("公文分发后才能主动公开"), code="not_distributed")
    if document.secrecy:
        raise DisclosureError(_("涉密公文不能主动公开"), code="classified")
    fields = rules.ItemFields(
        category=Category.POLICY,
        policy_kind=PolicyKind.OTHER_POLICY,
        title=document.title,
        body=body_text(document_id),
        issuer=document.issuing_body.name,
        written_on=document.issued_on,
        document_number=document.document_number or "",
        changed_on=document.issued_on or timezone.localdate(),
    )
    item_id = create_item(
        user_id=user_id,
        department_id=department_id,
        fields=fields,
        idempotency_key=f"document-{document_id}",
        source_document_id=document_id,
    )
    if document.sealed_pdf:
        with document.sealed_pdf.open("rb") as stored:
            data = stored.read()
        add_attachment(item_id=item_id, user_id=user_id, name=f"{document.title[:80]}.pdf", data=data)
    draft = [
        t
        for t in workflow_selectors.open_tasks_of(DisclosureItem.objects.get(pk=item_id).subject)
        if t.element_id == DRAFT
    ]
    if draft:
        # Blocked by the gate: the findings are listed on the item's page; the editor masks or justifies.
        with contextlib.suppress(GateBlocked):
            handle_step(task_id=draft[0].id, user_id=user_id, opinion=_("公文一键公开"))
    return item_id


# --- 公开指南, 季点评 -----------------------------------------------------------------------------


@transaction.atomic
def save_guide(*, user_id: int, department_id: int, body: str) -> None:
    """政府信息公开指南 of a department: written by the 政务公开管理员 (any department) or the
    department's 公开审核领导."""
    if not (admin_department_ids(user_id) or has_role_in(user_id, department_id, DISCLOSURE_APPROVER)):
        raise DisclosureNotFound(_("没有找到该部门"), code="not_found")
    if not body.strip():
        raise DisclosureError(_("请输入指南正文"), code="body_required", field="body")
    DisclosureGuide.objects.update_or_create(
        department_id=department_id, defaults={"body": body.strip(), "updated_by_id": user_id}
    )


@transaction.atomic
def save_quarterly_review(*, user_id: int, department_id: int, year: int, quarter: int, text: str) -> None:
    """季点评 of a department's disclosure in a quarter, by the 政务公开管理员; shown in the 月通报."""
    if not admin_department_ids(user_id):
        raise DisclosureNotFound(_("没有找到该部门"), code="not_found")
    if quarter not in (1, 2, 3, 4):
        raise DisclosureError(_("请选择季度"), code="bad_quarter", field="quarter")
    if not text.strip():
        raise DisclosureError(_("请输入点评内容"), code="text_required", field="text")
    QuarterlyReview.objects.update_or_create(
        department_id=department_id,
        year=year,
        quarter=quarter,
        defaults={"text": text.strip()[:5000], "author_id": user_id},
    )
