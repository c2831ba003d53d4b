"""签到: the door's QR code (for the organiser's staff to print or show), the page the code opens (the
scanning invitee signs in, by POST), staff signing people in, and the sign-in sheet."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongban.accounts.access import staff_only
from tongban.core.audit import record_request
from tongban.core.qr import qr_svg
from tongban.meetings import access, selectors
from tongban.meetings.errors import MeetingError
from tongban.meetings.models import Meeting
from tongban.meetings.services import signin
from tongban.meetings.views.common import visible_meeting


def _managed(request: HttpRequest, meeting_id: int, event: str) -> Meeting:
    meeting = visible_meeting(request, meeting_id, event=event)
    if not access.may_manage(access.standing_of(request.user.pk), meeting):
        record_request(request, event=event, object_type="meeting", object_id=meeting_id, denied=True)
        raise Http404
    return meeting


@require_GET
@staff_only
def door_code(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """签到二维码: to print for the door or show on its screen; it links to the sign-in page."""
    meeting = _managed(request, meeting_id, "meeting.door_code")
    url = request.build_absolute_uri(
        reverse("meetings:sign_in", args=[meeting.pk, signin.sign_in_token(meeting.pk)])
    )
    opens, closes = signin.window(meeting)
    svg = qr_svg(url, label=_("%(title)s签到二维码") % {"title": meeting.title}, pixels_per_module=6)
    return render(
        request,
        "meetings/door_code.html",
        {"meeting": meeting, "svg": svg, "url": url, "opens": opens, "closes": closes},
    )


@require_http_methods(["GET", "POST"])
@staff_only
def sign_in(request: HttpRequest, meeting_id: int, token: str) -> HttpResponse:
    """The page the door code opens: GET shows the meeting and a 签到 button, POST signs the logged-in
    invitee in (once; a second time says when they signed in). A wrong token is a 404."""
    if not signin.token_matches(meeting_id, token):
        record_request(
            request, event="meeting.sign_in", object_type="meeting", object_id=meeting_id, denied=True
        )
        raise Http404
    meeting = Meeting.objects.select_related("room").filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404
    context = {"meeting": meeting, "token": token, "errors": [], "invitation": None}
    if request.method == "POST":
        try:
            invitation = signin.sign_in_with_code(meeting_id=meeting_id, token=token, user_id=request.user.pk)
        except MeetingError as exc:
            if exc.status == 404:
                raise Http404 from exc
            context["errors"] = [("sign-in", exc.message)]
            return render(request, "meetings/sign_in.html", context, status=exc.status)
        context["invitation"] = invitation
        return render(request, "meetings/sign_in.html", context)
    context["invitation"] = meeting.invitations.filter(
        user_id=request.user.pk, signed_in_at__isnull=False
    ).first()
    return render(request, "meetings/sign_in.html", context)


@require_GET
@staff_only
def sign_in_sheet(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """签到表: every invitee, their reply and sign-in; staff sign present people in from here."""
    meeting = _managed(request, meeting_id, "meeting.sign_in_sheet")
    board = selectors.reply_board(meeting)
    return render(
        request,
        "meetings/sign_in_sheet.html",
        {"meeting": meeting, "board": board, "open": signin.is_open(meeting), "errors": []},
    )


@require_POST
@staff_only
def sign_in_for(request: HttpRequest, meeting_id: int, invitation_id: int) -> HttpResponse:
    meeting = _managed(request, meeting_id, "meeting.sign_in_for")
    try:
        signin.sign_in_for(meeting_id=meeting.pk, user_id=request.user.pk, invitation_id=invitation_id)
    except MeetingError as exc:
        if exc.status == 404:
            raise Http404 from exc
        board = selectors.reply_board(meeting)
        context = {
            "meeting": meeting,
            "board": board,
            "open": signin.is_open(meeting),
            "errors": [("sheet", exc.message)],
        }
        return render(request, "meetings/sign_in_sheet.html", context, status=exc.status)
    messages.success(request, _("已签到"))
    return redirect("meetings:sign_in_sheet", meeting_id=meeting.pk)
