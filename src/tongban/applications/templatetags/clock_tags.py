"""The promised finish date as every page shows it (applicant, receipt, staff)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tongban.applications.models import Application
from tongban.applications.selectors import promised_date_is_provisional
from tongban.catalog.types import ItemSnapshot

register = template.Library()


@register.simple_tag
def promised_date(application: Application, item: ItemSnapshot) -> SafeString | str:
    """2027年1月8日, followed by （暂按周末计算） while the date was counted over a year whose holidays
    are not published; empty before submission."""
    due = application.promised_finish_date
    if due is None:
        return ""
    text = f"{due.year}年{due.month}月{due.day}日"
    if _is_provisional(application, item):
        return format_html('{}<span class="provisional">{}</span>', text, _("（暂按周末计算）"))
    return text


@register.simple_tag
def promised_date_provisional(application: Application, item: ItemSnapshot) -> bool:
    return _is_provisional(application, item)


def _is_provisional(application: Application, item: ItemSnapshot) -> bool:
    """Asked by both tags on one page (the date, then the 暂按周末计算 hint): the answer is kept on
    the application the page renders, so the published years are read once per page."""
    known = application.__dict__.get("_promised_date_provisional")
    if known is None:
        known = promised_date_is_provisional(application, unit=item.promised_limit_unit)
        application.__dict__["_promised_date_provisional"] = known
    return known
