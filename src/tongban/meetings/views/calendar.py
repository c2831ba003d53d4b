"""我的日程: the week's meetings (works at 390 px: a list per day), the .ics download, and the private
subscription URL (renew or stop it)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tongban.accounts.access import staff_only
from tongban.meetings import selectors
from tongban.meetings.ical import calendar_bytes
from tongban.meetings.services import feeds
from tongban.meetings.views.common import day_from, monday_of

PAST_DAYS = 90  # the export and the subscription start this long ago


@require_GET
@staff_only
def my_week(request: HttpRequest) -> HttpResponse:
    monday = monday_of(day_from(request, "week"))
    feed_url = ""
    if selectors.feed_exists(request.user.pk):
        feed_url = request.build_absolute_uri(
            reverse("meetings:feed", args=[feeds.feed_token(request.user.pk)])
        )
    return render(
        request,
        "meetings/calendar.html",
        {
            "days": selectors.week_of(request.user.pk, monday),
            "monday": monday,
            "sunday": monday + dt.timedelta(days=6),
            "previous": monday - dt.timedelta(days=7),
            "next": monday + dt.timedelta(days=7),
            "today": timezone.localdate(),
            "feed_url": feed_url,
        },
    )


def _ics(request: HttpRequest, user_id: int) -> HttpResponse:
    since = timezone.now() - dt.timedelta(days=PAST_DAYS)
    body = calendar_bytes(
        selectors.calendar_meetings(user_id, since=since),
        name=_("我的会议"),
        link_of=lambda pk: request.build_absolute_uri(reverse("meetings:meeting", args=[pk])),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@staff_only
def download_ics(request: HttpRequest) -> HttpResponse:
    response = _ics(request, request.user.pk)
    response["Content-Disposition"] = 'attachment; filename="meetings.ics"'
    return response


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscription: no session (calendar clients have none); the unguessable token is the key."""
    user_id = selectors.user_of_feed(token)
    if user_id is None:
        raise Http404
    return _ics(request, user_id)


@require_POST
@staff_only
def renew_feed(request: HttpRequest) -> HttpResponse:
    feeds.renew_feed(user_id=request.user.pk)
    messages.success(request, _("已生成新的订阅地址，原地址已失效"))
    return redirect("meetings:calendar")


@require_POST
@staff_only
def stop_feed(request: HttpRequest) -> HttpResponse:
    feeds.stop_feed(user_id=request.user.pk)
    messages.success(request, _("已停止订阅，原地址已失效"))
    return redirect("meetings:calendar")
