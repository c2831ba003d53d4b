"""Applicants' appointment pages: choose a slot, then see, reschedule and cancel their appointments.
Every page works without JavaScript: each change is a POST form that redirects to a page. Staff pages
are in staff_views."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongban.appointments import selectors, services
from tongban.appointments.forms import SlotForm
from tongban.appointments.models import Appointment, AppointmentSlot, AppointmentStatus
from tongban.core.errors import TongbanError
from tongban.organizations.selectors import hall_ref


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
