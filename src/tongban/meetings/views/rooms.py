"""会议室: the rooms' bookings by day or week (占用情况), and the 会议室管理员's room pages."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tongban.accounts.access import staff_only
from tongban.core.audit import record_request
from tongban.meetings import access, selectors
from tongban.meetings.errors import MeetingError
from tongban.meetings.forms import RoomForm
from tongban.meetings.services import rooms as room_services
from tongban.meetings.views.common import day_from, monday_of
from tongban.organizations.selectors import departments_by_ids


@require_GET
@staff_only
def availability(request: HttpRequest) -> HttpResponse:
    """会议室占用情况 for a day (``?date=``) or the week around it (``?view=week``)."""
    week = request.GET.get("view") == "week"
    day = day_from(request)
    first = monday_of(day) if week else day
    days = 7 if week else 1
    rows = selectors.availability(request.user.pk, first, days)
    step = dt.timedelta(days=days)
    return render(
        request,
        "meetings/rooms.html",
        {
            "rows": rows,
            "week": week,
            "first": first,
            "days": [first + dt.timedelta(days=n) for n in range(days)],
            "previous": first - step,
            "next": first + step,
            "manages_rooms": bool(access.standing_of(request.user.pk).room_admin_of),
        },
    )


def _standing_or_404(request: HttpRequest) -> access.Standing:
    standing = access.standing_of(request.user.pk)
    if not standing.room_admin_of:
        record_request(request, event="meeting.rooms", object_type="url", object_id=request.path, denied=True)
        raise Http404
    return standing


def _departments(standing: access.Standing) -> list[tuple[int, str]]:
    found = departments_by_ids(set(standing.room_admin_of))
    return sorted(((d.id, d.name) for d in found.values()), key=lambda p: p[1])


@require_GET
@staff_only
def manage_rooms(request: HttpRequest) -> HttpResponse:
    """会议室管理: the rooms of the departments whose 会议室管理员 the user is."""
    standing = _standing_or_404(request)
    return render(request, "meetings/manage_rooms.html", {"rooms": selectors.managed_rooms(standing)})


@require_http_methods(["GET", "POST"])
@staff_only
def room_form(request: HttpRequest, room_id: int | None = None) -> HttpResponse:
    """新增 or 修改 a room."""
    standing = _standing_or_404(request)
    room = None
    initial: dict[str, object] = {"is_active": True}
    if room_id is not None:
        room = selectors.managed_room(standing, room_id)
        if room is None:
            record_request(
                request, event="meeting.room", object_type="meeting_room", object_id=room_id, denied=True
            )
            raise Http404
        initial = {
            "name": room.name,
            "location": room.location,
            "capacity": room.capacity,
            "equipment": room.equipment,
            "department": room.department_id,
            "is_active": room.is_active,
        }
    departments = _departments(standing)
    if room is None and len(departments) == 1:
        initial["department"] = departments[0][0]
    form = RoomForm(request.POST or None, departments=departments, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if room is None:
                    room_services.create_room(user_id=request.user.pk, fields=form.room_fields())
                else:
                    room_services.update_room(
                        user_id=request.user.pk, room_id=room.pk, fields=form.room_fields()
                    )
            except MeetingError as exc:
                if exc.status == 404:
                    raise Http404 from exc
                form.add_service_error(exc.field, exc.message)
                status = exc.status
            else:
                messages.success(request, _("会议室已保存"))
                return redirect("meetings:manage_rooms")
        else:
            status = 400
    return render(
        request,
        "meetings/room_form.html",
        {"form": form, "room": room, "errors": form.error_links()},
        status=status,
    )
