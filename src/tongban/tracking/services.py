"""督办 writes: 立项, 交办, 签收, 阶段反馈, 申请办结, 审核办结 or 退回, 评价, 延期 and 催办.

Each service owns its transaction and locks the item (``select_for_update``) before it checks the
state, so of two people acting at once the second gets a TrackingStateError (409) and changes nothing.
Each writes the item's record (``ItemEvent``) and an audit row; 交办 and 催办 notify the lead department's
文书人员 and 部门负责人.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core import audit
from tongban.core.calendar import add_working_days
from tongban.core.uploads import UploadError, check_uploads
from tongban.notifications.services import notify
from tongban.organizations.selectors import departments_by_ids, staff_ids_with_role
from tongban.tracking import rules
from tongban.tracking.access import acts_for_lead, feedback_department, is_officer_of, officer_department_ids
from tongban.tracking.errors import TrackingError, TrackingNotFound, TrackingStateError
from tongban.tracking.models import (
    Evaluation,
    ExtensionRequest,
    ExtensionStatus,
    Feedback,
    FeedbackAttachment,
    FeedbackCycle,
    ItemEvent,
    ItemStatus,
    TrackingItem,
    TrackingLevel,
)
from tongban.tracking.roles import DEPARTMENT_ACTORS
from tongban.tracking.sources import Source

ATTACHMENT_TYPES = ("pdf", "ofd", "png", "jpg")
ATTACHMENT_MAX_MB = 20
MAX_ATTACHMENTS = 10
NUMBER_ATTEMPTS = 20


@dataclass(frozen=True)
class UploadedFile:
    name: str
    data: bytes


@dataclass(frozen=True)
class ItemFields:
    """What 立项 records; the form fills it (prefilled from the source)."""

    title: str
    requirement: str
    lead_department_id: int | None
    assisting_department_ids: tuple[int, ...]
    level: str
    deadline_days: int | None
    cycle: str
    leader_id: int | None = None


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _locked(item_id: int) -> TrackingItem:
    item = TrackingItem.objects.select_for_update().filter(pk=item_id).first()
    if item is None:
        raise TrackingNotFound(_("没有找到该督办事项"), code="not_found")
    return item


def _event(item: TrackingItem, action: str, user_id: int, note: str, at: dt.datetime) -> None:
    ItemEvent.objects.create(item=item, action=action, actor_id=user_id, note=note, at=at)
    audit.record(
        event=f"tracking.{action}",
        actor_id=user_id,
        object_type="tracking_item",
        object_id=item.pk,
        department_id=item.office_department_id,
    )


def _state(item: TrackingItem, *allowed: str) -> None:
    if item.status not in allowed:
        raise TrackingStateError(
            _("该督办事项当前为“%(status)s”，不能进行此操作，请刷新页面查看最新情况")
            % {"status": item.get_status_display()},
            code="wrong_state",
        )


def lead_actor_ids(department_id: int) -> list[int]:
    """Whom 交办 and 催办 reach: the lead department's 文书人员 and 部门负责人."""
    ids: list[int] = []
    for role in DEPARTMENT_ACTORS:
        ids += [i for i in staff_ids_with_role(department_id=department_id, role=role) if i not in ids]
    return ids


def _notify_lead(item: TrackingItem, *, title: str, body: str, key: str) -> None:
    link = reverse("tracking:item", args=[item.pk])
    for user_id in lead_actor_ids(item.lead_department_id):
        notify(user_id=user_id, title=title, body=body, link=link, key=f"{key}:{user_id}")


def _check_fields(fields: ItemFields) -> list[str]:
    problems = []
    if not fields.title.strip():
        problems.append(_("请输入督办事项"))
    if not fields.requirement.strip():
        problems.append(_("请输入督办要求"))
    chosen = {fields.lead_department_id, *fields.assisting_department_ids} - {None}
    if fields.lead_department_id is None:
        problems.append(_("请选择牵头单位"))
    elif fields.lead_department_id in fields.assisting_department_ids:
        problems.append(_("牵头单位不能同时是协办单位"))
    if len(departments_by_ids({d for d in chosen if d is not None})) != len(chosen):
        problems.append(_("请选择有效的单位"))
    if fields.level not in TrackingLevel.values:
        problems.append(_("请选择督办级别"))
    if fields.cycle not in FeedbackCycle.values:
        problems.append(_("请选择反馈周期"))
    if fields.deadline_days is None or not 1 <= fields.deadline_days <= rules.MAX_DEADLINE_DAYS:
        problems.append(_("办理时限须为1至%(n)d个工作日") % {"n": rules.MAX_DEADLINE_DAYS})
    return problems


def _next_number(year: int) -> str:
    prefix = _("督〔%(year)d〕") % {"year": year}
    taken = TrackingItem.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{taken + 1}{_('号')}"


def open_item(
    *,
    user_id: int,
    office_department_id: int,
    fields: ItemFields,
    source: Source | None = None,
    now: dt.datetime | None = None,
) -> int:
    """立项: a 督查人员 of ``office_department_id`` records a 督办事项 (from ``source``, resolved for the
    same user, or 工作计划 without one). Returns the item id; its number is 督〔year〕N号.

    Rules: the user is a 督查人员 there; a title, a requirement, a lead department not among the
    assisting ones, a level, a cycle and 1 to MAX_DEADLINE_DAYS working days. TrackingError lists
    every problem, and nothing is saved."""
    if office_department_id not in officer_department_ids(user_id):
        raise TrackingError(_("您不是该部门的督查人员"), code="not_officer")
    problems = _check_fields(fields)
    if problems:
        raise TrackingError("；".join(problems), code="invalid_item", details=problems)
    assert fields.lead_department_id is not None
    assert fields.deadline_days is not None
    now = _now(now)
    for _attempt in range(NUMBER_ATTEMPTS):  # officers numbering at once: the unique number decides
        try:
            with transaction.atomic():
                item = TrackingItem.objects.create(
                    number=_next_number(timezone.localtime(now).year),
                    title=fields.title.strip()[:200],
                    requirement=fields.requirement.strip(),
                    source_kind=source.kind if source else "manual",
                    source_id=source.id if source else "",
                    source_label=(source.label if source else _("工作计划"))[:200],
                    office_department_id=office_department_id,
                    lead_department_id=fields.lead_department_id,
                    leader_id=fields.leader_id,
                    level=fields.level,
                    deadline_days=fields.deadline_days,
                    cycle=fields.cycle,
                    created_by_id=user_id,
                    created_at=now,
                )
                item.assisting_departments.set(fields.assisting_department_ids)
                _event(item, "opened", user_id, item.source_label, now)
                return item.pk
        except IntegrityError:
            continue
    raise TrackingStateError(_("督办编号生成失败，请重试"), code="number_taken")


@transaction.atomic
def assign_item(*, item_id: int, user_id: int, now: dt.datetime | None = None) -> dt.date:
    """交办: the deadline starts today (``deadline_days`` working days, core.calendar) and the lead
    department's 文书人员 and 部门负责人 are told to sign for it. Returns the due date."""
    item = _locked(item_id)
    if not is_officer_of(user_id, item):
        raise TrackingNotFound(_("没有找到该督办事项"), code="not_found")
    _state(item, ItemStatus.OPENED)
    now = _now(now)
    item.status, item.assigned_at = ItemStatus.ASSIGNED, now
    item.due_date = add_working_days(now, item.deadline_days)
    item.save(update_fields=["status", "assigned_at", "due_date"])
    _event(item, "assigned", user_id, "", now)
    _notify_lead(
        item,
        title=_("督办事项待签收：%(title)s") % {"title": item.title},
        body=_("%(number)s，请于%(due)s前办结，并按%(cycle)s。")
        % {"number": item.number, "due": _date(item.due_date), "cycle": item.get_cycle_display()},
        key=f"tracking-assigned:{item.pk}",
    )
    return item.due_date


def _date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


@transaction.atomic
def sign_item(*, item_id: int, user_id: int, now: dt.datetime | None = None) -> None:
    """签收 by the lead department's 文书人员 or 部门负责人; feedback falls due from now."""
    item = _locked(item_id)
    if not acts_for_lead(user_id, item):
        raise TrackingError(_("只有牵头单位的文书人员或部门负责人可以签收"), code="not_lead")
    _state(item, ItemStatus.ASSIGNED)
    now = _now(now)
    item.status, item.signed_by_id, item.signed_at = ItemStatus.IN_PROGRESS, user_id, now
    item.save(update_fields=["status", "signed_by", "signed_at"])
    _event(item, "signed", user_id, "", now)


def due_dates_of(item: TrackingItem) -> list[dt.date]:
    if item.signed_at is None or item.due_date is None:
        return []
    return rules.feedback_due_dates(cycle=item.cycle, start=item.signed_at, due=item.due_date)


def _checked_files(files: Sequence[UploadedFile]) -> list:
    if len(files) > MAX_ATTACHMENTS:
        raise TrackingError(_("附件最多%(n)d个") % {"n": MAX_ATTACHMENTS}, code="too_many_files")
    try:
        return check_uploads(
            ((upload.name, upload.data) for upload in files),
            allowed_types=ATTACHMENT_TYPES,
            max_size_mb=ATTACHMENT_MAX_MB,
        )
    except UploadError as exc:
        raise TrackingError(exc.message, code=exc.code) from exc


def _store_feedback(
    item: TrackingItem,
    *,
    department_id: int,
    user_id: int,
    text: str,
    checked: list,
    now: dt.datetime,
    is_final: bool,
) -> Feedback:
    answered = Feedback.objects.filter(item=item, department_id=department_id, is_final=False).count()
    due = None if is_final else rules.next_due(due_dates_of(item), answered)
    feedback = Feedback.objects.create(
        item=item,
        department_id=department_id,
        author_id=user_id,
        text=text,
        submitted_at=now,
        due_date=item.due_date if is_final else due,
        is_late=rules.is_late(
            submitted_on=timezone.localtime(now).date(), due=item.due_date if is_final else due
        ),
        is_final=is_final,
    )
    FeedbackAttachment.objects.bulk_create(
        FeedbackAttachment(
            feedback=feedback,
            name=c.display_name[:200],
            mime_type=c.mime_type,
            sha256=c.sha256,
            content=c.content,
        )
        for c in checked
    )
    return feedback


@transaction.atomic
def add_feedback(
    *,
    item_id: int,
    user_id: int,
    text: str,
    files: Sequence[UploadedFile] = (),
    now: dt.datetime | None = None,
) -> Feedback:
    """阶段反馈 by the lead (or an assisting) department's 文书人员 or 部门负责人, with attachments
    (PDF, OFD, PNG, JPEG; core.uploads). It answers the department's earliest unanswered due date
    (``rules.feedback_due_dates``) and is stored late (``is_late``) when given after it."""
    item = _locked(item_id)
    department_id = feedback_department(user_id, item)
    if department_id is None:
        raise TrackingError(_("只有牵头单位或协办单位的文书人员、部门负责人可以反馈"), code="not_involved")
    _state(item, ItemStatus.IN_PROGRESS)
    text = text.strip()
    if not text:
        raise TrackingError(_("请输入反馈内容"), code="text_required")
    checked = _checked_files(files)
    now = _now(now)
    feedback = _store_feedback(
        item,
        department_id=department_id,
        user_id=user_id,
        text=text,
        checked=checked,
        now=now,
        is_final=False,
    )
    _event(item, "feedback", user_id, _("逾期反馈") if feedback.is_late else "", now)
    return feedback


@transaction.atomic
def request_closing(
    *,
    item_id: int,
    user_id: int,
    result: str,
    files: Sequence[UploadedFile] = (),
    now: dt.datetime | None = None,
) -> None:
    """申请办结 by the lead department with its results (and attachments); the 督查人员 review it."""
    item = _locked(item_id)
    if not acts_for_lead(user_id, item):
        raise TrackingError(_("只有牵头单位的文书人员或部门负责人可以申请办结"), code="not_lead")
    _state(item, ItemStatus.IN_PROGRESS)
    result = result.strip()
    if not result:
        raise TrackingError(_("请输入办理结果"), code="result_required")
    checked = _checked_files(files)
    now = _now(now)
    _store_feedback(
        item,
        department_id=item.lead_department_id,
        user_id=user_id,
        text=result,
        checked=checked,
        now=now,
        is_final=True,
    )
    item.status, item.result = ItemStatus.CLOSING, result
    item.closing_requested_by_id, item.closing_requested_at = user_id, now
    item.save(update_fields=["status", "result", "closing_requested_by", "closing_requested_at"])
    _event(item, "closing_requested", user_id, "", now)


@transaction.atomic
def review_closing(
    *, item_id: int, user_id: int, approve: bool, note: str, now: dt.datetime | None = None
) -> str:
    """审核办结 by a 督查人员: 办结, or 退回继续办理 with a reason (the lead department is told). A
    second review of the same request is a TrackingStateError (409). Returns the new status."""
    item = _locked(item_id)
    if not is_officer_of(user_id, item):
        raise TrackingNotFound(_("没有找到该督办事项"), code="not_found")
    _state(item, ItemStatus.CLOSING)
    note = note.strip()
    if not approve and not note:
        raise TrackingError(_("请输入退回理由"), code="reason_required")
    now = _now(now)
    item.review_note = note
    if approve:
        item.status, item.closed_by_id, item.closed_at = ItemStatus.CLOSED, user_id, now
    else:
        item.status, item.returned_count = ItemStatus.IN_PROGRESS, item.returned_count + 1
    item.save(update_fields=["status", "review_note", "closed_by", "closed_at", "returned_count"])
    _event(item, "closed" if approve else "returned", user_id, note, now)
    if not approve:
        _notify_lead(
            item,
            title=_("督办事项退回继续办理：%(title)s") % {"title": item.title},
            body=note,
            key=f"tracking-returned:{item.pk}:{item.returned_count}",
        )
    return item.status


@transaction.atomic
def evaluate(
    *, item_id: int, user_id: int, evaluation: str, note: str, now: dt.datetime | None = None
) -> None:
    """评价 of a closed item by a 督查人员: 好, 较好, 一般 or 差; 一般 and 差 need a reason."""
    item = _locked(item_id)
    if not is_officer_of(user_id, item):
        raise TrackingNotFound(_("没有找到该督办事项"), code="not_found")
    _state(item, ItemStatus.CLOSED)
    note = note.strip()
    if evaluation not in Evaluation.values:
        raise TrackingError(_("请选择评价"), code="evaluation_required")
    if evaluation in (Evaluation.FAIR, Evaluation.POOR) and not note:
        raise TrackingError(_("评价为一般或差时，请输入评价意见"), code="note_required")
    now = _now(now)
    item.status, item.evaluation, item.evaluation_note = ItemStatus.EVALUATED, evaluation, note
    item.evaluated_by_id, item.evaluated_at = user_id, now
    item.save(update_fields=["status", "evaluation", "evaluation_note", "evaluated_by", "evaluated_at"])
    _event(item, "evaluated", user_id, note, now)


@transaction.atomic
def request_extension(
    *, item_id: int, user_id: int, days: int | None, reason: str, now: dt.datetime | None = None
) -> int:
    """申请延期 by the lead department: 1 to MAX_EXTENSION_DAYS more working days, with a reason; one
    request waits at a time. Returns the request id."""
    item = _locked(item_id)
    if not acts_for_lead(user_id, item):
        raise TrackingError(_("只有牵头单位的文书人员或部门负责人可以申请延期"), code="not_lead")
    _state(item, ItemStatus.IN_PROGRESS)
    problems = []
    if days is None or not 1 <= days <= rules.MAX_EXTENSION_DAYS:
        problems.append(_("延期天数须为1至%(n)d个工作日") % {"n": rules.MAX_EXTENSION_DAYS})
    if not reason.strip():
        problems.append(_("请输入延期理由"))
    if problems:
        raise TrackingError("；".join(problems), code="invalid_extension", details=problems)
    assert days is not None  # checked above
    if ExtensionRequest.objects.filter(item=item, status=ExtensionStatus.PENDING).exists():
        raise TrackingStateError(_("已有一项延期申请在审批中"), code="extension_pending")
    now = _now(now)
    extension = ExtensionRequest.objects.create(
        item=item, days=days, reason=reason.strip(), requested_by_id=user_id, requested_at=now
    )
    _event(item, "extension_requested", user_id, reason.strip(), now)
    return extension.pk


@transaction.atomic
def decide_extension(
    *, extension_id: int, user_id: int, approve: bool, note: str, now: dt.datetime | None = None
) -> None:
    """延期审批 by a 督查人员: approved, the deadline moves by the days asked (working days from the
    current deadline); refused needs a reason. A second decision is a TrackingStateError (409)."""
    extension = ExtensionRequest.objects.filter(pk=extension_id).values("item_id").first()
    if extension is None:
        raise TrackingNotFound(_("没有找到该延期申请"), code="not_found")
    item = _locked(extension["item_id"])
    request = ExtensionRequest.objects.select_for_update().get(pk=extension_id)
    if not is_officer_of(user_id, item):
        raise TrackingNotFound(_("没有找到该延期申请"), code="not_found")
    if request.status != ExtensionStatus.PENDING:
        raise TrackingStateError(_("该延期申请已审批"), code="already_decided")
    note = note.strip()
    if not approve and not note:
        raise TrackingError(_("请输入不同意的理由"), code="reason_required")
    now = _now(now)
    request.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    request.decided_by_id, request.decided_at, request.decision_note = user_id, now, note
    if approve and item.due_date is not None:
        request.old_due_date = item.due_date
        request.new_due_date = item.due_date = add_working_days(item.due_date, request.days)
        item.extended_days += request.days
        item.save(update_fields=["due_date", "extended_days"])
    request.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note", "old_due_date", "new_due_date"]
    )
    _event(item, "extension_approved" if approve else "extension_refused", user_id, note, now)
    _notify_lead(
        item,
        title=(_("延期申请已同意：%(title)s") if approve else _("延期申请未同意：%(title)s"))
        % {"title": item.title},
        body=(_("新的办结期限：%(due)s") % {"due": _date(item.due_date)}) if approve else note,
        key=f"tracking-extension:{request.pk}",
    )


def may_nudge(item: TrackingItem, *, user_id: int, today: dt.date) -> bool:
    """催办: by a 督查人员 of the item or its leader, while the lead department has it (待签收 or 办理中),
    once a day."""
    if item.status not in (ItemStatus.ASSIGNED, ItemStatus.IN_PROGRESS):
        return False
    if not (is_officer_of(user_id, item) or item.leader_id == user_id):
        return False
    return item.last_nudged_at is None or timezone.localtime(item.last_nudged_at).date() < today


@transaction.atomic
def nudge(*, item_id: int, user_id: int, now: dt.datetime | None = None) -> int:
    """催办: a message to the lead department's 文书人员 and 部门负责人. Returns how many were told."""
    item = _locked(item_id)
    now = _now(now)
    if not may_nudge(item, user_id=user_id, today=timezone.localtime(now).date()):
        raise TrackingStateError(_("该督办事项今天已催办过，或当前不能催办"), code="no_nudge")
    item.last_nudged_at = now
    item.save(update_fields=["last_nudged_at"])
    told = lead_actor_ids(item.lead_department_id)
    _event(item, "nudged", user_id, "", now)
    _notify_lead(
        item,
        title=_("催办：%(title)s") % {"title": item.title},
        body=_("%(number)s，办结期限%(due)s，请抓紧办理并及时反馈。")
        % {"number": item.number, "due": _date(item.due_date)},
        key=f"tracking-nudge:{item.pk}:{now.isoformat()}",
    )
    return len(told)
