"""The supervision board (电子监察) and 督办/催办 on one case."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tongban.accounts.access import staff_only
from tongban.core.errors import TongbanError
from tongban.supervision import selectors, services
from tongban.supervision.forms import InterventionForm
from tongban.supervision.sections import sections_for

BOARD_PAGE_SIZE = 50


@require_GET
@staff_only
def board(request: HttpRequest) -> HttpResponse:
    """Open cases in the supervisor's scope with yellow and red cards, worst first; then the cards
    other apps add (overdue 差评整改)."""
    scope = selectors.supervision_scope(request.user.pk)
    if scope is not None and not scope:
        raise Http404
    rows = selectors.board(request.user.pk)
    level = request.GET.get("level")
    shown = [row for row in rows if row.level.value == level] if level in ("yellow", "red") else rows
    # The worst come first; a page at a time keeps the page light (each row carries its own form).
    page = Paginator(shown, BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    level_query = f"level={level}&" if level in ("yellow", "red") else ""
    return render(
        request,
        "supervision/board.html",
        {
            "rows": page.object_list,
            "page": page,
            "level_query": level_query,
            "summary": selectors.summary(rows),
            "citywide": scope is None,
            "level": level,
            "form": InterventionForm(),
            "sections": sections_for(scope, today=timezone.localdate()),
        },
    )


@require_POST
@staff_only
def intervene(request: HttpRequest, application_id: int) -> HttpResponse:
    form = InterventionForm(request.POST)
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return redirect("supervision:board")
    try:
        services.intervene(
            application_id=application_id,
            supervisor_id=request.user.pk,
            kind=form.cleaned_data["kind"],
            message=form.cleaned_data["message"],
            reply_due=form.cleaned_data["reply_due"],
        )
    except TongbanError as exc:
        if exc.code == "not_found":
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已发出"))
    return redirect("supervision:board")
