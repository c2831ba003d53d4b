"""信息报送考核: the ranking per unit and period (month / quarter / year), exported as CSV, and the
计分规则 page where 信息编辑 set the points per 采用 level."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tongban.accounts.access import staff_only
from tongban.briefings import selectors
from tongban.briefings.errors import BriefingError
from tongban.briefings.forms import LevelForm, NewLevelForm
from tongban.briefings.services import scoring
from tongban.briefings.views.common import form_errors, require_briefing_role, require_editor

PERIOD_KINDS = ((selectors.MONTH, "按月"), (selectors.QUARTER, "按季度"), (selectors.YEAR, "按年"))


def _period(request: HttpRequest) -> selectors.Period:
    today = timezone.localdate()
    return selectors.parse_period(
        request.GET.get("period", selectors.MONTH),
        request.GET.get("year", str(today.year)),
        request.GET.get("index", str(today.month)),
        today=today,
    )


@require_GET
@staff_only
def ranking(request: HttpRequest) -> HttpResponse:
    """The ranking, for 信息员 and 信息编辑 (every unit's totals; no 信息 text)."""
    require_briefing_role(request)
    period = _period(request)
    today = timezone.localdate()
    return render(
        request,
        "briefings/ranking.html",
        {
            "period": period,
            "rows": selectors.ranking(period),
            "kinds": PERIOD_KINDS,
            "years": list(range(today.year, today.year - 5, -1)),
            "indexes": list(range(1, 13)),
        },
    )


@require_GET
@staff_only
def ranking_export(request: HttpRequest) -> HttpResponse:
    """The ranking as CSV (UTF-8 with a BOM, so spreadsheet programs read the Chinese)."""
    require_briefing_role(request)
    period = _period(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="briefing-ranking-{period.kind}-{period.year}-{period.index}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("考核周期"), period.label])
    writer.writerow([_("名次"), _("报送单位"), _("报送条数"), _("采用条数"), _("得分")])
    for row in selectors.ranking(period):
        writer.writerow([row.rank, row.department_name, row.submitted, row.adopted, str(row.points)])
    return response


def _settings_page(
    request: HttpRequest, *, errors=None, new_form=None, status=200, failed_level=None
) -> HttpResponse:
    levels = selectors.all_levels()
    rows = [
        (
            level,
            failed_level[1]
            if failed_level and failed_level[0] == level.pk
            else LevelForm(
                prefix=f"level{level.pk}", initial={"points": level.points, "is_active": level.is_active}
            ),
        )
        for level in levels
    ]
    return render(
        request,
        "briefings/scoring.html",
        {"rows": rows, "new_form": new_form or NewLevelForm(prefix="new"), "errors": errors or []},
        status=status,
    )


@require_GET
@staff_only
def scoring_settings(request: HttpRequest) -> HttpResponse:
    require_editor(request)
    return _settings_page(request)


@require_POST
@staff_only
def update_level(request: HttpRequest, level_id: int) -> HttpResponse:
    require_editor(request)
    form = LevelForm(request.POST, prefix=f"level{level_id}")
    exc = None
    if form.is_valid():
        try:
            scoring.update_level(
                user_id=request.user.pk,
                level_id=level_id,
                points=form.cleaned_data["points"],
                is_active=form.cleaned_data["is_active"],
            )
        except BriefingError as error:
            if error.status == 404:
                raise Http404 from error
            exc = error
        else:
            messages.success(request, _("已保存计分规则，自保存时起记录的采用按新分值计分"))
            return redirect("briefings:scoring")
    errors = form_errors(form, exc)
    return _settings_page(request, errors=errors, status=400, failed_level=(level_id, form))


@require_POST
@staff_only
def new_level(request: HttpRequest) -> HttpResponse:
    require_editor(request)
    form = NewLevelForm(request.POST, prefix="new")
    exc = None
    if form.is_valid():
        try:
            scoring.create_level(
                user_id=request.user.pk, name=form.cleaned_data["name"], points=form.cleaned_data["points"]
            )
        except BriefingError as error:
            exc = error
        else:
            messages.success(request, _("已新增采用级别"))
            return redirect("briefings:scoring")
    errors = form_errors(form, exc)
    return _settings_page(request, errors=errors, new_form=form, status=400)
