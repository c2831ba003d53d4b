"""Notices of the staff workbench that depend on who is looking."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from tongban.core.calendar import CHINA_TZ, next_year_missing
from tongban.organizations.selectors import is_administrator

register = template.Library()


@register.simple_tag
def missing_calendar_year(user: Any) -> int | None:
    """Next year, from 1 December while its holidays are not in the working-day calendar, shown to
    administrators (department admins, city-level roles, superusers); None otherwise."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not (user.is_superuser or is_administrator(user_id=user.pk)):
        return None
    today = timezone.localdate(timezone=CHINA_TZ)
    return today.year + 1 if next_year_missing(today) else None
