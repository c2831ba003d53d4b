"""好差评 on the applicant's pages (我的办件, 办件进度): those pages belong to applications, which must not
import ratings, so their templates load these tags instead."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from tongban.ratings.selectors import rated_application_ids, rating_outcome

register = template.Library()

RATEABLE = ("closed", "declined")  # 办结 or 不予受理 (ApplicationRef.is_finished)


@register.simple_tag
def rated_ids(applications: Iterable[Any]) -> set[int]:
    """Ids of the listed applications already rated online: their 评价 link is gone (one query)."""
    return rated_application_ids(application.pk for application in applications)


@register.inclusion_tag("ratings/_outcome.html")
def rating_panel(application: Any) -> dict[str, object]:
    """The applicant's rating of their application with its 整改结果 and 回访, or the 评价 link while
    the finished application is unrated. ``application`` is the applicant's own (the page checked)."""
    outcome = rating_outcome(applicant_id=application.applicant_id, application_id=application.pk)
    return {
        "application_id": application.pk,
        "outcome": outcome,
        "may_rate": outcome is None and application.status in RATEABLE,
    }
