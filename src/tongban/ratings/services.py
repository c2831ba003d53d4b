"""Rating a finished application (好差评) and the rectification a bad rating opens."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.applications.selectors import application_ref
from tongban.core.calendar import add_working_days
from tongban.ratings.errors import AlreadyRatedError, RatingError
from tongban.ratings.models import Channel, Level, Rating, Rectification


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
        Rectification.objects.create(
            rating=rating,
            department_id=application.department_id,
            due_date=add_working_days(timezone.now(), settings.TONGBAN_RECTIFICATION_DAYS),
        )
    return rating.pk
