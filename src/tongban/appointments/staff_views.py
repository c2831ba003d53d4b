"""Hall staff's appointment pages: opening rules, the published slots with their bookings, closed days,
and the day's queue where staff record who came. Only a department's clerks and administrators see
them, for their departments' items (T-B3); anyone else gets a 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongban.accounts.access import staff_only
from tongban.appointments import selectors, services
from tongban.appointments.errors import AppointmentRuleError
from tongban.appointments.forms import (
    WEEKDAY_CHOICES,
    ClosureForm,
    EditRuleForm,
    NewRuleForm,
    QueueForm,
    SlotsForm,
)
from tongban.appointments.models import AppointmentRule
from tongban.appointments.rules import Schedule
from tongban.appointments.types import AppointableItem, PublishReport
from tongban.core.errors import TongbanError
from tongban.organizations.selectors import departments_by_ids

ONE_DAY = dt.timedelta(days=1)
ONE_WEEK = dt.timedelta(weeks=1)
# The appointment pages' own tabs (URL name, label), in the order staff use them.
TABS = [
    ("appointments:staff_queue", gettext_lazy("当日预约")),
    ("appointments:staff_slots", gettext_lazy("预约时段")),
    ("appointments:staff_rules", gettext_lazy("预约规则")),
    ("appointments:staff_closures", gettext_lazy("停止预约")),
]


def _today() -> dt.date:
    return selectors.china_now().date()


def _tabs(current: str) -> dict[str, object]:
    return {"appointment_tabs": TABS, "current_tab": current}


def _hall_staff(request: HttpRequest) -> set[int]:
    """The departments the viewer handles appointments for; a 404 for staff who handle none."""
    departments = selectors.handling_department_ids(request.user.pk)
    if not departments:
        raise Http404
    return departments


def _items(departments: set[int]) -> list[AppointableItem]:
    return list(selectors.appointable_items(department_ids=departments).values())


def _hall_names(items: list[AppointableItem]) -> dict[int, str]:
    return {
        hall.id: hall.name for hall in selectors.hall_refs({i.hall_id for i in items if i.hall_id}).values()
    }


def _department_names(departments: set[int]) -> dict[int, str]:
    return {pk: d.short_name or d.name for pk, d in departments_by_ids(departments).items()}


def _days_text(rule: AppointmentRule) -> str:
    names = dict(WEEKDAY_CHOICES)
    numbers = [int(day) for day in rule.weekdays]
    if len(numbers) >= 3 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        # 周一至周五 rather than five names
        days = [
            _("%(first)s至%(last)s") % {"first": names[rule.weekdays[0]], "last": names[rule.weekdays[-1]]}
        ]
    else:
        days = [str(names[day]) for day in rule.weekdays]
    if rule.on_adjusted_workdays:
        days.append(_("调休上班日"))
    return "、".join(days)


def _times_text(schedule: Schedule) -> str:
    return "、".join(f"{start:%H:%M}–{end:%H:%M}" for start, end in schedule.time_ranges)


def _published_message(report: PublishReport) -> str:
    return _("规则已保存：新发布 %(created)s 个预约时段，调整 %(changed)s 个，撤下 %(withdrawn)s 个。") % {
        "created": report.created,
        "changed": report.changed,
        "withdrawn": report.withdrawn,
    }


@require_GET
@staff_only
def staff_rules(request: HttpRequest) -> HttpResponse:
    """预约规则: the opening rules of the viewer's departments."""
    _hall_staff(request)
    rules = list(selectors.rules_for(request.user.pk))
    halls = selectors.hall_refs({rule.hall_id for rule in rules})
    rows = [
        {
            "rule": rule,
            "hall": halls[rule.hall_id],
            "days": _days_text(rule),
            "times": _times_text(rule.schedule),
        }
        for rule in rules
    ]
    context = {
        "rows": rows,
        "weeks_ahead": settings.TONGBAN_APPOINTMENT_WEEKS_AHEAD,
        **_tabs("appointments:staff_rules"),
    }
    return render(request, "appointments/staff/rules.html", context)


def _new_rule_initial() -> dict[str, object]:
    return {
        "weekdays": ["1", "2", "3", "4", "5"],
        "on_adjusted_workdays": True,
        "start_1": "09:00",
        "end_1": "12:00",
        "start_2": "13:30",
        "end_2": "17:30",
        "slot_minutes": 30,
        "starts_on": _today() + ONE_DAY,
    }


@require_http_methods(["GET", "POST"])
@staff_only
def staff_rule_create(request: HttpRequest) -> HttpResponse:
    """新建预约规则 for an item or a window; saving publishes its slots at once."""
    departments = _hall_staff(request)
    items = _items(departments)
    form = NewRuleForm(
        request.POST if request.method == "POST" else None,
        initial=_new_rule_initial(),
        items=items,
        windows=selectors.rule_windows(request.user.pk),
        halls=_hall_names(items),
        departments=_department_names(departments),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.create_rule(
                staff_id=request.user.pk, schedule=form.schedule(), **form.target_ids()
            )
        except AppointmentRuleError as exc:
            form.add_service_error(exc.field, exc.message)
        else:
            messages.success(request, _published_message(saved.published))
            return redirect("appointments:staff_rules")
    return render(request, "appointments/staff/rule_form.html", {"form": form})


def _rule_initial(rule: AppointmentRule) -> dict[str, object]:
    initial: dict[str, object] = {
        "weekdays": list(rule.weekdays),
        "on_adjusted_workdays": rule.on_adjusted_workdays,
        "slot_minutes": rule.slot_minutes,
        "starts_on": rule.starts_on,
        "ends_on": rule.ends_on,
        "is_active": rule.is_active,
    }
    for row, (start, end) in enumerate(rule.time_ranges, start=1):
        initial[f"start_{row}"], initial[f"end_{row}"] = start, end
    return initial


@require_http_methods(["GET", "POST"])
@staff_only
def staff_rule_edit(request: HttpRequest, rule_id: int) -> HttpResponse:
    """修改预约规则 (or stop it); saving republishes its items without touching a booked place."""
    _hall_staff(request)
    rule = selectors.get_rule_for(request.user.pk, rule_id)
    if rule is None:
        raise Http404
    form = EditRuleForm(request.POST if request.method == "POST" else None, initial=_rule_initial(rule))
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.update_rule(
                staff_id=request.user.pk,
                rule_id=rule.pk,
                schedule=form.schedule(),
                is_active=form.cleaned_data["is_active"],
            )
        except AppointmentRuleError as exc:
            form.add_service_error(exc.field, exc.message)
        else:
            messages.success(request, _published_message(saved.published))
            return redirect("appointments:staff_rules")
    context = {"form": form, "rule": rule, "hall": selectors.hall_refs({rule.hall_id})[rule.hall_id]}
    return render(request, "appointments/staff/rule_form.html", context)


def _slots_url(hall_id: int, start: dt.date, item_id: int | None = None) -> str:
    query = {"hall": hall_id, "start": start.isoformat(), **({"item": item_id} if item_id else {})}
    return f"{reverse('appointments:staff_slots')}?{urlencode(query)}"


@require_GET
@staff_only
def staff_slots(request: HttpRequest) -> HttpResponse:
    """预约时段: a week of published slots at a hall with their bookings, per item and day, or one
    item's slots one by one."""
    departments = _hall_staff(request)
    halls = selectors.staff_halls(request.user.pk)
    context: dict[str, object] = {"halls": halls, **_tabs("appointments:staff_slots")}
    if not halls:
        return render(request, "appointments/staff/slots.html", context)
    items = _items(departments)
    form = SlotsForm(
        {"hall": halls[0].id, "start": _today().isoformat(), **request.GET.dict()}, halls=halls, items=items
    )
    if not form.is_valid():
        raise Http404
    hall_id, first = form.cleaned_data["hall"], form.cleaned_data["start"]
    last = first + ONE_WEEK - ONE_DAY
    # An item of another hall (the hall select changed) shows the whole hall.
    item = next((i for i in items if i.item_id == form.cleaned_data["item"] and i.hall_id == hall_id), None)
    form.fields["item"].choices = [("", _("全部事项"))] + [
        (i.item_id, i.name) for i in items if i.hall_id == hall_id
    ]
    closures = [
        closure
        for closure in selectors.closures_for(request.user.pk, from_date=first)
        if closure.date <= last
        and closure.hall_id == hall_id
        and (item is None or closure.item_id in (None, item.item_id))
    ]
    context |= {
        "form": form,
        "hall": next(hall for hall in halls if hall.id == hall_id),
        "item": item,
        "first": first,
        "last": last,
        "closures": closures,
        "previous_url": _slots_url(hall_id, first - ONE_WEEK, item and item.item_id),
        "next_url": _slots_url(hall_id, first + ONE_WEEK, item and item.item_id),
        "today_url": _slots_url(hall_id, _today(), item and item.item_id),
    }
    if item:
        context["slots"] = list(
            selectors.item_slots(request.user.pk, item_id=item.item_id, first=first, last=last)
        )
    else:
        context["summaries"] = selectors.slot_summaries(
            request.user.pk, hall_id=hall_id, first=first, last=last
        )
    return render(request, "appointments/staff/slots.html", context)


@require_http_methods(["GET", "POST"])
@staff_only
def staff_closures(request: HttpRequest) -> HttpResponse:
    """停止预约: the closed days from today on, and the form that closes one."""
    departments = _hall_staff(request)
    items = _items(departments)
    form = ClosureForm(
        request.POST if request.method == "POST" else None,
        items=items,
        halls=_hall_names(items),
        departments=_department_names(departments),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            closed = services.close_day(
                staff_id=request.user.pk,
                date=form.cleaned_data["date"],
                reason=form.cleaned_data["reason"],
                **form.scope_ids(),
            )
        except TongbanError as exc:
            form.add_service_error(exc.code, exc.message)
            status = exc.status
        else:
            messages.success(
                request,
                _("已停止预约，取消了 %(count)s 个预约并通知了申请人。") % {"count": closed.cancelled},
            )
            return redirect("appointments:staff_closures")
    closures = list(selectors.closures_for(request.user.pk, from_date=_today()))
    halls = selectors.hall_refs({closure.hall_id for closure in closures})
    context = {
        "form": form,
        "closures": [(closure, halls[closure.hall_id]) for closure in closures],
        "today": _today(),
        **_tabs("appointments:staff_closures"),
    }
    return render(request, "appointments/staff/closures.html", context, status=status)


@require_POST
@staff_only
def staff_closure_reopen(request: HttpRequest, closure_id: int) -> HttpResponse:
    """恢复预约 on a closed day after today; its slots are published again."""
    _hall_staff(request)
    if selectors.get_closure_for(request.user.pk, closure_id) is None:
        raise Http404
    try:
        report = services.reopen_day(staff_id=request.user.pk, closure_id=closure_id)
    except TongbanError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已恢复预约，发布了 %(count)s 个预约时段。") % {"count": report.created})
    return redirect("appointments:staff_closures")


def _queue_url(hall_id: int, day: dt.date) -> str:
    return f"{reverse('appointments:staff_queue')}?{urlencode({'hall': hall_id, 'date': day.isoformat()})}"


@require_GET
@staff_only
def staff_queue(request: HttpRequest) -> HttpResponse:
    """当日预约: one hall, one day, the staff member's departments only (T-B3)."""
    halls = selectors.queue_halls(request.user.pk)
    if not halls:
        return render(
            request, "appointments/staff_queue.html", {"halls": halls, **_tabs("appointments:staff_queue")}
        )
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
            **_tabs("appointments:staff_queue"),
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
