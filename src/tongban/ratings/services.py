"""Rating a finished application (好差评) and the rectification (差评整改) a bad rating opens: the
handling department's 整改情况, its 回访 of the rater, and the closure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongban.applications.selectors import application_ref
from tongban.core.calendar import add_working_days
from tongban.core.uploads import CheckedUpload, UploadError, check_upload, scan_upload
from tongban.organizations.selectors import staff_ids_with_role
from tongban.ratings.errors import AlreadyRatedError, RatingError, RectificationError, RectificationStateError
from tongban.ratings.events import rectification_closed, rectification_opened
from tongban.ratings.models import (
    Channel,
    FollowUp,
    FollowUpResult,
    Level,
    Rating,
    Rectification,
    RectificationAttachment,
    RectificationReply,
)
from tongban.ratings.rules import Step, next_steps
from tongban.ratings.selectors import HANDLING_ROLES, handling_department_ids

# 整改情况 attachments: the formats and size of an ordinary material (catalog's default), a few per answer.
ATTACHMENT_TYPES = ("pdf", "jpg", "png", "ofd")
ATTACHMENT_MAX_MB = 10
MAX_ATTACHMENTS = 5


@dataclass(frozen=True)
class RatingAnswers:
    """The national questions: overall, then efficiency, guide accuracy, convenience, platform."""

    level: int
    efficiency: int
    guide_accuracy: int
    convenience: int
    platform_usability: int
    comment: str = ""


@transaction.atomic
def rate_application(
    *, application_id: int, rater_id: int, answers: RatingAnswers, channel: str = Channel.ONLINE
) -> int:
    """Record the applicant's rating; returns its id.

    Rules (STANDARDS.md §3): only the applicant, only once the application is finished (办结 or
    不予受理), one rating per application per channel (409 otherwise), every answer one of the five
    levels, and 不满意 / 非常不满意 need a reason. A bad rating opens a rectification for the handling
    department, due after TONGBAN_RECTIFICATION_DAYS working days (default 15).
    """
    application = application_ref(application_id)
    if application is None or application.applicant_id != rater_id:
        raise RatingError(_("没有找到该办件。"), code="not_found")
    if not application.is_finished:
        raise RatingError(_("办件办结后才能评价。"), code="not_finished")
    levels = [
        answers.level,
        answers.efficiency,
        answers.guide_accuracy,
        answers.convenience,
        answers.platform_usability,
    ]
    if any(level not in Level.values for level in levels):
        raise RatingError(_("请为每一项选择评价等级"), code="level_required")
    if answers.level in (Level.DISSATISFIED, Level.VERY_DISSATISFIED) and not answers.comment.strip():
        raise RatingError(_("选择不满意或非常不满意时，请写明原因"), code="reason_required")
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                application_id=application.id,
                department_id=application.department_id,
                rater_id=rater_id,
                channel=channel,
                level=answers.level,
                efficiency=answers.efficiency,
                guide_accuracy=answers.guide_accuracy,
                convenience=answers.convenience,
                platform_usability=answers.platform_usability,
                comment=answers.comment.strip(),
            )
    except IntegrityError as exc:
        raise AlreadyRatedError(_("您已评价过该办件。"), code="already_rated") from exc
    if rating.is_bad:
        rectification = Rectification.objects.create(
            rating=rating,
            department_id=application.department_id,
            due_date=add_working_days(timezone.now(), settings.TONGBAN_RECTIFICATION_DAYS),
        )
        recipients = sorted(
            {
                user_id
                for role in HANDLING_ROLES
                for user_id in staff_ids_with_role(department_id=application.department_id, role=role)
            }
        )
        details = {
            "rectification_id": rectification.pk,
            "application_number": application.number or "",
            "due_date": rectification.due_date,
            "recipient_ids": recipients,
        }
        transaction.on_commit(lambda: rectification_opened.send(sender=Rectification, **details))
    return rating.pk


@dataclass(frozen=True)
class Upload:
    """A file as the browser sent it: the person's name for it and its bytes (or a stream)."""

    name: str
    data: IO[bytes] | bytes


def _rectification_for(staff_id: int, rectification_id: int, *, lock: bool = False) -> Rectification:
    rows = Rectification.objects.select_for_update() if lock else Rectification.objects.all()
    rectification = rows.filter(pk=rectification_id).first()
    if rectification is None or rectification.department_id not in handling_department_ids(staff_id):
        raise RectificationError(_("没有找到该整改。"), code="not_found")
    return rectification


STEP_REFUSED = {
    Step.REPLY: gettext_lazy("该整改现在不能填报整改情况。"),
    Step.FOLLOW_UP: gettext_lazy("填报整改情况后才能回访，每次整改情况回访一次。"),
    Step.CLOSE: gettext_lazy("回访后才能办结。"),
}


def _require(rectification: Rectification, step: Step) -> None:
    latest = rectification.follow_ups.order_by("-recorded_at", "-id").values_list("result", flat=True).first()
    if step not in next_steps(rectification.status, latest):
        raise RectificationStateError(str(STEP_REFUSED[step]), code="wrong_status")


def _checked(upload: Upload) -> CheckedUpload:
    """The checks of a material (type from the content, size, archive limits), then clamd (T-C1..T-C6)."""
    try:
        checked = check_upload(
            name=upload.name, data=upload.data, allowed_types=ATTACHMENT_TYPES, max_size_mb=ATTACHMENT_MAX_MB
        )
        scan_upload(checked)  # malware, or a file clamd could not read to the end
    except UploadError as exc:
        # Several files in one field: say which one.
        raise UploadError(
            _("“%(name)s”：%(problem)s") % {"name": upload.name[:60], "problem": exc.message}, code=exc.code
        ) from exc
    return checked


def reply_to_rectification(
    *, rectification_id: int, staff_id: int, text: str, files: Sequence[Upload] = ()
) -> int:
    """整改情况: what the department did, with up to MAX_ATTACHMENTS files; returns the reply's id.

    Rules: staff with a handling role in the rectification's department (else "not_found", a 404);
    only while it waits for one (待整改, or 待办结 after a 回访 the rater was not satisfied with:
    再次整改), else RectificationStateError (409); the text is required; each file passes the checks
    of a material (type from the content, at most ATTACHMENT_MAX_MB, clamd) or nothing is kept
    (UploadError; ScannerUnavailable, a 503, when clamd does not answer). The status becomes 待回访.
    """
    _require(_rectification_for(staff_id, rectification_id), Step.REPLY)
    text = text.strip()
    if not text:
        raise RectificationError(_("请填写整改情况"), code="text_required")
    if len(files) > MAX_ATTACHMENTS:
        raise UploadError(_("最多上传%(n)s个附件") % {"n": MAX_ATTACHMENTS}, code="quota")
    checked = [_checked(upload) for upload in files]  # before the lock: scanning takes a while
    stored: list[RectificationAttachment] = []
    try:
        with transaction.atomic():
            rectification = _rectification_for(staff_id, rectification_id, lock=True)
            _require(rectification, Step.REPLY)
            reply = RectificationReply.objects.create(
                rectification=rectification, text=text, replied_by_id=staff_id
            )
            for upload in checked:
                attachment = RectificationAttachment(
                    reply=reply,
                    display_name=upload.display_name,
                    kind=upload.kind,
                    size=upload.size,
                    sha256=upload.sha256,
                )
                attachment.file.save(upload.display_name, ContentFile(upload.content), save=False)
                stored.append(attachment)
                attachment.save()
            rectification.status = Rectification.Status.REPLIED
            rectification.save(update_fields=["status"])
    except BaseException:
        # Nothing of a refused answer stays behind, its files included (T-M6).
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return reply.pk


@transaction.atomic
def record_follow_up(
    *,
    rectification_id: int,
    staff_id: int,
    result: str,
    contacted_on: dt.date,
    note: str = "",
    today: dt.date | None = None,
) -> int:
    """回访: the department contacted the rater after its 整改情况; returns the follow-up's id.

    Rules: staff with a handling role in the department ("not_found" otherwise); only once after each
    整改情况 (status 待回访, else 409); the result is 满意 or 不满意, and 不满意 needs a note of what the
    rater said; the date is neither after today nor before the 整改情况 it follows. The status becomes
    待办结 (after 不满意 the department may also answer again).
    """
    rectification = _rectification_for(staff_id, rectification_id, lock=True)
    _require(rectification, Step.FOLLOW_UP)
    if result not in FollowUpResult.values:
        raise RectificationError(_("请选择回访结果"), code="result_required")
    note = note.strip()
    if result == FollowUpResult.DISSATISFIED and not note:
        raise RectificationError(_("回访结果为不满意时，请写明群众反映的情况"), code="note_required")
    today = today or timezone.localdate()
    if contacted_on > today:
        raise RectificationError(_("回访日期不能晚于今天"), code="date_in_future")
    replied_at = rectification.replies.order_by("-replied_at").values_list("replied_at", flat=True).first()
    if replied_at is not None and contacted_on < timezone.localdate(replied_at):
        raise RectificationError(_("回访日期不能早于整改情况的填报日期"), code="date_before_reply")
    follow_up = FollowUp.objects.create(
        rectification=rectification,
        result=result,
        note=note,
        contacted_on=contacted_on,
        recorded_by_id=staff_id,
    )
    rectification.status = Rectification.Status.FOLLOWED_UP
    rectification.save(update_fields=["status"])
    return follow_up.pk


@transaction.atomic
def close_rectification(*, rectification_id: int, staff_id: int) -> None:
    """办结: the rectification is finished; the rater is told (after commit) and sees the outcome.

    Rules: staff with a handling role in the department ("not_found" otherwise); only after a 回访
    (status 待办结, else 409), whatever the rater said: a 不满意 stays on record for supervisors.
    """
    rectification = _rectification_for(staff_id, rectification_id, lock=True)
    _require(rectification, Step.CLOSE)
    rectification.status = Rectification.Status.DONE
    rectification.completed_at = timezone.now()
    rectification.closed_by_id = staff_id
    rectification.save(update_fields=["status", "completed_at", "closed_by"])
    rating = Rating.objects.get(pk=rectification.rating_id)
    application = application_ref(rating.application_id)
    details = {
        "rectification_id": rectification.pk,
        "application_id": rating.application_id,
        "application_number": (application.number if application else "") or "",
        "rater_id": rating.rater_id,
    }
    transaction.on_commit(lambda: rectification_closed.send(sender=Rectification, **details))
