"""Appointment pages. Applicants choose a slot, then see, reschedule and cancel their appointments;
staff see the day's queue at a hall and record who came. Every page works without JavaScript: each
change is a POST form that redirects to a page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from itertools import groupby
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongban.accounts.access import staff_only
from tongban.appointments import selectors, services
from tongban.appointments.forms import QueueForm, SlotForm
from tongban.appointments.models import Appointment, AppointmentSlot, AppointmentStatus
from tongban.core.errors import TongbanError
from tongban.organizations.selectors import hall_ref

ONE_DAY = dt.timedelta(days=1)


def _today() -> dt.date:
    return selectors.china_now().date()


def _by_date(slots: list[AppointmentSlot]) -> list[tuple[dt.date, list[AppointmentSlot]]]:
    return [(day, list(day_slots)) for day, day_slots in groupby(slots, key=lambda slot: slot.date)]


def _own_appointment(request: HttpRequest, appointment_id: int) -> Appointment:
    appointment = selectors.get_appointment_for_applicant(request.user.pk, appointment_id)
    if appointment is None:
        raise Http404
    return appointment


def _slot_page(
    request: HttpRequest,
    template: str,
    form: SlotForm,
    slots: list[AppointmentSlot],
    status: int = 200,
    **context: object,
) -> HttpResponse:
    return render(request, template, {"form": form, "days": _by_date(slots), **context}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def choose_slot(request: HttpRequest, implementation_code: str) -> HttpResponse:
    """选择预约时段 for an item, then book it."""
    item = selectors.appointable_item(implementation_code)
    if item is None or not item.supports_appointment:
        raise Http404
    slots = list(selectors.available_slots(implementation_code, from_date=_today()))
    form = SlotForm(request.POST if request.method == "POST" else None, slot_ids=[slot.pk for slot in slots])
    context = {
        "item": item,
        "hall": hall_ref(item.hall_id) if item.hall_id else None,
    }
    if request.method == "POST" and form.is_valid():
        try:
            booked = services.book(slot_id=form.cleaned_data["slot"], applicant_id=request.user.pk)
        except TongbanError as exc:
            form.add_error("slot", exc.message)
            slots = list(selectors.available_slots(implementation_code, from_date=_today()))
            return _slot_page(request, "appointments/choose_slot.html", form, slots, exc.status, **context)
        messages.success(request, _("预约成功，您的预约码是 %(code)s") % {"code": booked.code})
        return redirect("appointments:detail", booked.id)
    return _slot_page(request, "appointments/choose_slot.html", form, slots, **context)


@require_GET
@login_required
def my_appointments(request: HttpRequest) -> HttpResponse:
    appointments = list(selectors.appointments_of(request.user.pk))
    halls = selectors.hall_refs({a.slot.hall_id for a in appointments})
    return render(
        request,
        "appointments/my_appointments.html",
        {"rows": [(a, halls[a.slot.hall_id]) for a in appointments], "now": selectors.china_now()},
    )


def _detail_page(
    request: HttpRequest, appointment: Appointment, *, error: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "appointments/detail.html",
        {
            "appointment": appointment,
            "hall": hall_ref(appointment.slot.hall_id),
            "now": selectors.china_now(),
            "error": error,
        },
        status=status,
    )


@require_GET
@login_required
def appointment_detail(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """预约成功 / 预约详情: the code to show at the hall; a bookmarked copy keeps working."""
    return _detail_page(request, _own_appointment(request, appointment_id))


@require_POST
@login_required
def cancel(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = _own_appointment(request, appointment_id)
    try:
        services.cancel(appointment_id=appointment.pk, applicant_id=request.user.pk)
    except TongbanError as exc:
        return _detail_page(request, appointment, error=exc.message, status=exc.status)
    messages.success(request, _("已取消预约 %(code)s") % {"code": appointment.code})
    return redirect("appointments:mine")


@require_http_methods(["GET", "POST"])
@login_required
def reschedule(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """改约: choose another slot of the same item; the old booking stays until the new one is made."""
    appointment = _own_appointment(request, appointment_id)
    if appointment.status != AppointmentStatus.BOOKED:
        raise Http404

    def other_slots() -> list[AppointmentSlot]:
        slots = selectors.open_slots_for_item(appointment.item_id, from_date=_today())
        return list(slots.exclude(pk=appointment.slot_id))

    slots = other_slots()
    form = SlotForm(request.POST if request.method == "POST" else None, slot_ids=[slot.pk for slot in slots])
    context = {"appointment": appointment}
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.reschedule(
                appointment_id=appointment.pk,
                applicant_id=request.user.pk,
                new_slot_id=form.cleaned_data["slot"],
            )
        except TongbanError as exc:
            form.add_error("slot", exc.message)
            return _slot_page(
                request, "appointments/reschedule.html", form, other_slots(), exc.status, **context
            )
        messages.success(request, _("改约成功，新的预约码是 %(code)s") % {"code": moved.code})
        return redirect("appointments:detail", moved.id)
    return _slot_page(request, "appointments/reschedule.html", form, slots, **context)


def _queue_url(hall_id: int, day: dt.date) -> str:
    return f"{reverse('appointments:staff_queue')}?{urlencode({'hall': hall_id, 'date': day.isoformat()})}"


@require_GET
@staff_only
def staff_queue(request: HttpRequest) -> HttpResponse:
    """当日预约: one hall, one day, the staff member's departments only (T-B3)."""
    halls = selectors.queue_halls(request.user.pk)
    if not halls:
        return render(request, "appointments/staff_queue.html", {"halls": halls})
    form = QueueForm({"hall": halls[0].id, "date": _today().isoformat(), **request.GET.dict()}, halls=halls)
    if not form.is_valid():
        raise Http404
    hall_id, day = form.cleaned_data["hall"], form.cleaned_data["date"]
    return render(
        request,
        "appointments/staff_queue.html",
        {
            "halls": halls,
            "hall": next(hall for hall in halls if hall.id == hall_id),
            "day": day,
            "form": form,
            "queue": selectors.day_queue(request.user.pk, hall_id=hall_id, date=day),
            "previous_url": _queue_url(hall_id, day - ONE_DAY),
            "next_url": _queue_url(hall_id, day + ONE_DAY),
            "today_url": _queue_url(hall_id, _today()),
        },
    )


def _record(
    request: HttpRequest, appointment_id: int, service: Callable[..., None], done: str
) -> HttpResponse:
    appointment = selectors.get_appointment_for_staff(request.user.pk, appointment_id)
    if appointment is None:
        raise Http404
    try:
        service(appointment_id=appointment.pk, staff_id=request.user.pk)
    except TongbanError as exc:
        messages.error(request, f"{appointment.code}：{exc.message}")
    else:
        messages.success(request, f"{appointment.code}：{done}")
    return redirect(_queue_url(appointment.slot.hall_id, appointment.date))


@require_POST
@staff_only
def staff_mark_attended(request: HttpRequest, appointment_id: int) -> HttpResponse:
    return _record(request, appointment_id, services.mark_attended, _("已登记到场"))


@require_POST
@staff_only
def staff_mark_no_show(request: HttpRequest, appointment_id: int) -> HttpResponse:
    return _record(request, appointment_id, services.mark_no_show, _("已登记未到场"))
