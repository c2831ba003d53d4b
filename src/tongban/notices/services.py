"""Writes of 通知公告: drafts and their attachments, publishing, withdrawing (撤回 keeps the row), a
reader opening a notice and confirming 已阅知, and the publisher's 催阅.

Who may do what (``selectors.publisher_scope``): a notice is written, published and withdrawn by the
publishers of its issuing department (通知发布员 or 部门管理员 there), addressed to that department and
those below it; a city-wide notice, or one to other departments, only by the general office's
publishers or a city administrator. Readers are those it is addressed to.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import IO

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core import audit
from tongban.core.uploads import check_upload, scan_upload
from tongban.notices import selectors
from tongban.notices.errors import NoticeConflict, NoticeError
from tongban.notices.models import (
    Notice,
    NoticeAttachment,
    NoticeAudience,
    NoticeReading,
    NoticeStatus,
    attachments_storage,
)
from tongban.notices.types import NoticeDraft, PublisherScope
from tongban.notifications.selectors import sent_keys
from tongban.notifications.services import notify

ATTACHMENT_TYPES = ("pdf", "ofd", "jpg", "png")
ATTACHMENT_MAX_MB = 20
MAX_ATTACHMENTS = 10
TITLE_MAX = 120
BODY_MAX = 20_000


def _scope(actor_id: int) -> PublisherScope:
    scope = selectors.publisher_scope(actor_id)
    if scope is None:
        raise NoticeError(_("您没有发布通知公告的岗位"), code="forbidden")
    return scope


def _check_draft(scope: PublisherScope, draft: NoticeDraft) -> None:
    if not draft.title.strip():
        raise NoticeError(_("请输入标题"), field="title")
    if len(draft.title.strip()) > TITLE_MAX:
        raise NoticeError(_("标题不能超过%(n)s个字") % {"n": TITLE_MAX}, field="title")
    if not draft.body.strip():
        raise NoticeError(_("请输入正文"), field="body")
    if len(draft.body) > BODY_MAX:
        raise NoticeError(_("正文不能超过%(n)s个字") % {"n": BODY_MAX}, field="body")
    if draft.department_id is None or draft.department_id not in scope.department_ids:
        raise NoticeError(_("请选择发布部门"), field="department")
    if draft.is_citywide:
        if not scope.citywide:
            raise NoticeError(_("全市范围的通知只能由市政府办公室发布"), field="audience")
    elif not draft.audience_ids:
        raise NoticeError(_("请选择发送范围"), field="departments")
    elif not scope.may_address(set(draft.audience_ids)):
        raise NoticeError(_("您只能向本部门及下属部门发布通知"), field="departments")
    if draft.expires_on is not None and draft.expires_on < timezone.localdate():
        raise NoticeError(_("有效期须不早于今天"), field="expires_on")


def _write(notice: Notice, draft: NoticeDraft) -> None:
    """Copy a checked draft (``_check_draft``: its department is set) onto the notice."""
    assert draft.department_id is not None
    notice.title = draft.title.strip()
    notice.body = draft.body.strip()
    notice.department_id = draft.department_id
    notice.is_citywide = draft.is_citywide
    notice.is_pinned = draft.is_pinned
    notice.requires_receipt = draft.requires_receipt
    notice.expires_on = draft.expires_on


def create_notice(*, actor_id: int, draft: NoticeDraft, idempotency_key: str) -> int:
    """A new draft (草稿) issued by one of the actor's departments; nothing is shown to readers until it
    is published. A retried submission (same ``idempotency_key``) returns the first draft.

    Raises NoticeError (with the field) for a missing title or body, a department or audience outside
    the actor's reach, an expiry in the past."""
    existing = Notice.objects.filter(idempotency_key=idempotency_key, author_id=actor_id).first()
    if existing is not None:
        return existing.pk
    scope = _scope(actor_id)
    _check_draft(scope, draft)
    notice = Notice(author_id=actor_id, idempotency_key=idempotency_key)
    _write(notice, draft)
    try:
        with transaction.atomic():
            notice.save()
            _set_audience(notice, draft)
    except IntegrityError:
        existing = Notice.objects.filter(idempotency_key=idempotency_key, author_id=actor_id).first()
        if existing is None:
            raise
        return existing.pk
    return notice.pk


def _set_audience(notice: Notice, draft: NoticeDraft) -> None:
    NoticeAudience.objects.filter(notice=notice).delete()
    if not draft.is_citywide:
        NoticeAudience.objects.bulk_create(
            NoticeAudience(notice=notice, department_id=department_id)
            for department_id in sorted(set(draft.audience_ids))
        )


def _locked_draft(scope: PublisherScope, notice_id: int) -> Notice:
    notice = (
        Notice.objects.select_for_update()
        .filter(pk=notice_id, department_id__in=scope.department_ids)
        .first()
    )
    if notice is None:
        raise NoticeError(_("找不到该通知"), code="not_found")
    if notice.status != NoticeStatus.DRAFT:
        raise NoticeConflict(_("该通知已发布，不能再修改"), code="not_draft")
    return notice


@transaction.atomic
def update_notice(*, actor_id: int, notice_id: int, draft: NoticeDraft) -> None:
    """Change a draft (only a draft: a published notice is withdrawn, not edited)."""
    scope = _scope(actor_id)
    notice = _locked_draft(scope, notice_id)
    _check_draft(scope, draft)
    _write(notice, draft)
    notice.save()
    _set_audience(notice, draft)


@transaction.atomic
def delete_draft(*, actor_id: int, notice_id: int) -> None:
    """A draft nobody has seen goes, with its attachments."""
    scope = _scope(actor_id)
    notice = _locked_draft(scope, notice_id)
    files = [a.file.name for a in notice.attachments.all()]
    notice.delete()
    storage = attachments_storage()

    def delete_files() -> None:
        for name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)


def add_attachment(*, actor_id: int, notice_id: int, name: str, data: bytes | IO[bytes]) -> int:
    """Attach a file to a draft after the checks every upload passes (type from the content, size, the
    virus scan: core.uploads); at most MAX_ATTACHMENTS. Raises UploadError for the file, NoticeError
    for the notice."""
    scope = _scope(actor_id)
    checked = check_upload(
        name=name, data=data, allowed_types=ATTACHMENT_TYPES, max_size_mb=ATTACHMENT_MAX_MB
    )
    scan_upload(checked, uploader_id=actor_id)
    with transaction.atomic():
        notice = _locked_draft(scope, notice_id)
        if notice.attachments.count() >= MAX_ATTACHMENTS:
            raise NoticeError(_("每个通知最多%(n)s个附件") % {"n": MAX_ATTACHMENTS}, field="file")
        attachment = NoticeAttachment(
            notice=notice,
            key=uuid.uuid4(),
            original_name=checked.display_name,
            content_type=checked.mime_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by_id=actor_id,
        )
        attachment.file.save(checked.display_name, ContentFile(checked.content), save=False)
        try:
            attachment.save()
        except Exception:
            attachment.file.delete(save=False)
            raise
    return attachment.pk


@transaction.atomic
def remove_attachment(*, actor_id: int, notice_id: int, attachment_id: int) -> None:
    scope = _scope(actor_id)
    notice = _locked_draft(scope, notice_id)
    attachment = NoticeAttachment.objects.filter(notice=notice, pk=attachment_id).first()
    if attachment is None:
        return  # removed already: a retried request
    name = attachment.file.name
    attachment.delete()
    storage = attachment.file.storage
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def publish_notice(*, actor_id: int, notice_id: int) -> None:
    """Publish a draft now: readers see it, and those it asks a receipt of count it as 待阅. The rules
    of a draft are checked again with the publisher's roles of today. Publishing twice is refused
    (409), so a double click changes nothing."""
    scope = _scope(actor_id)
    notice = _locked_draft(scope, notice_id)
    draft = NoticeDraft(
        title=notice.title,
        body=notice.body,
        department_id=notice.department_id,
        is_citywide=notice.is_citywide,
        audience_ids=tuple(selectors.audience_ids(notice)),
        is_pinned=notice.is_pinned,
        requires_receipt=notice.requires_receipt,
        expires_on=notice.expires_on,
    )
    _check_draft(scope, draft)
    notice.status = NoticeStatus.PUBLISHED
    notice.published_at = timezone.now()
    notice.published_by_id = actor_id
    notice.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    audit.record(
        event="notice.publish",
        actor_id=actor_id,
        object_type="notice",
        object_id=notice.pk,
        department_id=notice.department_id,
    )


@transaction.atomic
def withdraw_notice(*, actor_id: int, notice_id: int, reason: str) -> None:
    """撤回: readers no longer find the notice in their list and its page says it was withdrawn; the
    notice, its attachments and its receipts are kept. Only a published notice; a reason is required."""
    reason = reason.strip()
    scope = _scope(actor_id)
    notice = (
        Notice.objects.select_for_update()
        .filter(pk=notice_id, department_id__in=scope.department_ids)
        .first()
    )
    if notice is None:
        raise NoticeError(_("找不到该通知"), code="not_found")
    if notice.status != NoticeStatus.PUBLISHED:
        raise NoticeConflict(_("只有已发布的通知可以撤回"), code="not_published")
    if not reason:
        raise NoticeError(_("请输入撤回原因"), field="reason")
    notice.status = NoticeStatus.WITHDRAWN
    notice.withdrawn_at = timezone.now()
    notice.withdrawn_by_id = actor_id
    notice.withdraw_reason = reason[:200]
    notice.save(update_fields=["status", "withdrawn_at", "withdrawn_by", "withdraw_reason", "updated_at"])
    audit.record(
        event="notice.withdraw",
        actor_id=actor_id,
        object_type="notice",
        object_id=notice.pk,
        department_id=notice.department_id,
        reason=reason,
    )


def open_notice(*, reader_id: int, notice_id: int) -> None:
    """The reader opened the notice (its page): the first time is kept. The caller found the notice
    through ``selectors.get_notice_for_reader``. Opening is not 已阅知: that is a button of its own, so
    that a publisher's receipt means the reader said so, not that a page loaded."""
    try:
        with transaction.atomic():
            NoticeReading.objects.get_or_create(
                notice_id=notice_id, reader_id=reader_id, defaults={"opened_at": timezone.now()}
            )
    except IntegrityError:
        pass  # opened at the same moment in another tab: the first row stands


def acknowledge_notice(*, reader_id: int, notice_id: int) -> dt.datetime:
    """已阅知: the reader confirms they read a published notice that asks for a receipt. The first
    confirmation's time stands (a second one changes nothing). Raises NoticeError for a notice not
    addressed to them (not found), not asking for a receipt or withdrawn."""
    notice = selectors.get_notice_for_reader(reader_id, notice_id)
    if notice is None:
        raise NoticeError(_("找不到该通知"), code="not_found")
    if notice.status != NoticeStatus.PUBLISHED:
        raise NoticeConflict(_("该通知已撤回"), code="withdrawn")
    if not notice.requires_receipt:
        raise NoticeError(_("该通知不需要阅知回执"), code="no_receipt")
    now = timezone.now()
    open_notice(reader_id=reader_id, notice_id=notice_id)
    NoticeReading.objects.filter(
        notice_id=notice_id, reader_id=reader_id, acknowledged_at__isnull=True
    ).update(acknowledged_at=now)
    return NoticeReading.objects.get(notice_id=notice_id, reader_id=reader_id).acknowledged_at or now


def remind_unread(*, actor_id: int, notice_id: int) -> int:
    """催阅: a message in the inbox of everyone addressed who has not confirmed 已阅知 yet, at most once
    a day each (a second 催阅 the same day tells nobody again). Returns how many were reminded now.
    Only a published notice that asks for a receipt, by its publishers."""
    scope = _scope(actor_id)
    notice = selectors.get_notice_for_publisher(scope, notice_id)
    if notice is None:
        raise NoticeError(_("找不到该通知"), code="not_found")
    if notice.status != NoticeStatus.PUBLISHED or not notice.requires_receipt:
        raise NoticeConflict(_("只能对已发布且需阅知的通知催阅"), code="not_remindable")
    board = selectors.receipt_board(notice)
    waiting = sorted({line.user_id for d in board.departments for line in d.unread})
    today = timezone.localdate().isoformat()
    link = reverse("notices:detail", args=[notice.pk])
    keys = {user_id: f"notice:{notice.pk}:remind:{user_id}:{today}" for user_id in waiting}
    already = sent_keys(set(keys.values()))
    reminded = 0
    for user_id, key in keys.items():
        if key in already:
            continue
        notify(
            user_id=user_id,
            title=_("请阅知通知：%(title)s") % {"title": notice.title},
            body=_("%(department)s发布的通知需要您阅知，请打开通知并点击“已阅知”。")
            % {"department": notice.department.name},
            link=link,
            key=key,
        )
        reminded += 1
    audit.record(
        event="notice.remind",
        actor_id=actor_id,
        object_type="notice",
        object_id=notice.pk,
        department_id=notice.department_id,
    )
    return reminded
