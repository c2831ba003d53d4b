"""Opening rules (预约开放规则): hall staff write when their department's items can be booked; saving a
rule publishes its items' slots at once (the periodic job keeps them rolling forward)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from tongban.appointments.errors import AppointmentRuleError
from tongban.appointments.models import AppointmentRule
from tongban.appointments.rules import SLOT_MINUTES, Schedule, check_schedule, schedules_clash
from tongban.appointments.selectors import appointable_items, handling_department_ids, rule_windows
from tongban.appointments.services.publishing import publish_items
from tongban.appointments.types import PublishReport
from tongban.organizations.selectors import windows_serving


@dataclass(frozen=True)
class SavedRule:
    rule_id: int
    published: PublishReport


def _chinese_date(day: dt.date) -> str:
    return _("%(year)s年%(month)s月%(day)s日") % {"year": day.year, "month": day.month, "day": day.day}


def _problem_message(code: str, schedule: Schedule) -> str:
    return {
        "no_days": _("请至少选择一个开放日"),
        "no_times": _("请至少填写一个开放时间段"),
        "end_before_start": _("开放时间段的结束时间须晚于开始时间"),
        "shorter_than_a_slot": _("每个开放时间段须至少排得下一个预约时段（%(minutes)s分钟）")
        % {"minutes": schedule.slot_minutes},
        "overlap": _("开放时间段不能重叠"),
        "ends_before_start": _("结束日期不能早于开始日期"),
    }[code]


def _check(schedule: Schedule) -> None:
    if schedule.slot_minutes not in SLOT_MINUTES:
        raise AppointmentRuleError(_("请选择每个预约时段的分钟数"), code="slot_minutes", field="slot_minutes")
    for problem in check_schedule(schedule):
        raise AppointmentRuleError(
            _problem_message(problem.code, schedule), code=problem.code, field=problem.field
        )


def _refuse_clash(rule: AppointmentRule, schedule: Schedule) -> None:
    """Two rules in force for the same items must not open at the same time on the same day."""
    others = AppointmentRule.objects.select_for_update().filter(
        department_id=rule.department_id, hall_id=rule.hall_id, item_id=rule.item_id, is_active=True
    )
    for other in others.exclude(pk=rule.pk).order_by("pk"):
        if schedules_clash(schedule, other.schedule):
            raise AppointmentRuleError(
                _("与已有的规则（%(rule)s，%(start)s起）开放时间重叠，请修改时间，或先停用那条规则")
                % {"rule": other, "start": _chinese_date(other.starts_on)},
                code="clash",
                field="time_ranges",
            )


def _apply(rule: AppointmentRule, schedule: Schedule) -> None:
    rule.weekdays = "".join(str(day) for day in sorted(schedule.weekdays))
    rule.on_adjusted_workdays = schedule.on_adjusted_workdays
    rule.time_ranges = [[f"{start:%H:%M}", f"{end:%H:%M}"] for start, end in sorted(schedule.time_ranges)]
    rule.slot_minutes = schedule.slot_minutes
    rule.starts_on = schedule.starts_on
    rule.ends_on = schedule.ends_on


def _covered_items(rule: AppointmentRule) -> set[int]:
    if rule.item_id is not None:
        return {rule.item_id}
    items = appointable_items(department_ids={rule.department_id})
    return {item.item_id for item in items.values() if item.hall_id == rule.hall_id}


@transaction.atomic
def create_rule(
    *,
    staff_id: int,
    schedule: Schedule,
    item_id: int | None = None,
    window_id: int | None = None,
    department_id: int | None = None,
) -> SavedRule:
    """Write an opening rule for one item (``item_id``), or for every appointable item of
    ``department_id`` in the hall of window ``window_id``, and publish its slots.

    Rules: only a clerk or department admin of the department (others: "not found", T-B3); the item
    supports appointments at a hall; the window is staffed for the department, in a hall where it has
    appointable items; the schedule passes ``rules.check_schedule`` and does not clash with another
    rule in force for the same items.

    Raises AppointmentRuleError with the field at fault.
    """
    departments = handling_department_ids(staff_id)
    if (item_id is None) == (window_id is None):
        raise AppointmentRuleError(_("请选择规则适用的事项或窗口"), code="no_target", field="target")
    rule = AppointmentRule(created_by_id=staff_id, updated_by_id=staff_id)
    if item_id is not None:
        item = appointable_items(department_ids=departments, item_ids={item_id}).get(item_id)
        if item is None or item.hall_id is None:
            raise AppointmentRuleError(_("没有找到该事项"), code="not_found", field="target")
        rule.item_id, rule.item_name = item.item_id, item.name
        rule.department_id, rule.hall_id = item.department_id, item.hall_id
    else:
        window = next(
            (w for w in rule_windows(staff_id) if (w.id, w.department_id) == (window_id, department_id)), None
        )
        if window is None:
            raise AppointmentRuleError(_("没有找到该窗口"), code="not_found", field="target")
        rule.window_id, rule.window_label = window.id, window.label
        rule.department_id, rule.hall_id = window.department_id, window.hall_id
    return _save_new(rule, schedule)


def _save_new(rule: AppointmentRule, schedule: Schedule) -> SavedRule:
    _check(schedule)
    _apply(rule, schedule)
    _refuse_clash(rule, schedule)
    rule.save()
    return SavedRule(rule.pk, publish_items(_covered_items(rule)))


@transaction.atomic
def import_rule(
    *,
    schedule: Schedule,
    item_id: int | None = None,
    window_id: int | None = None,
    department_id: int | None = None,
) -> int | None:
    """For set-up scripts and the demo city, which act for no staff member: write a rule as
    ``create_rule`` does, without the access check and without publishing (``publish_ahead`` does).

    Idempotent: when the same target has a rule with the same days, times and slot length (whatever
    its dates), nothing is written and None is returned. Raises AppointmentRuleError like create_rule.
    """
    rule = AppointmentRule()
    if item_id is not None:
        item = appointable_items(item_ids={item_id}).get(item_id)
        if item is None or item.hall_id is None:
            raise AppointmentRuleError(_("没有找到该事项"), code="not_found", field="target")
        rule.item_id, rule.item_name = item.item_id, item.name
        rule.department_id, rule.hall_id = item.department_id, item.hall_id
    else:
        window = next((w for w in windows_serving({department_id or 0}) if w.id == window_id), None)
        if window is None:
            raise AppointmentRuleError(_("没有找到该窗口"), code="not_found", field="target")
        rule.window_id, rule.window_label = window.id, window.label
        rule.department_id, rule.hall_id = window.department_id, window.hall_id
    _check(schedule)
    _apply(rule, schedule)
    same_target = AppointmentRule.objects.filter(
        department_id=rule.department_id, hall_id=rule.hall_id, item_id=rule.item_id, window_id=rule.window_id
    )
    if any(_same_hours(existing, rule) for existing in same_target):
        return None
    _refuse_clash(rule, schedule)
    rule.save()
    return rule.pk


def _same_hours(a: AppointmentRule, b: AppointmentRule) -> bool:
    fields = ("weekdays", "on_adjusted_workdays", "time_ranges", "slot_minutes")
    return all(getattr(a, name) == getattr(b, name) for name in fields)


@transaction.atomic
def update_rule(*, staff_id: int, rule_id: int, schedule: Schedule, is_active: bool) -> SavedRule:
    """Change a rule's days, times, slot length and dates, or stop it (``is_active=False``), and
    republish its items: slots it no longer gives are withdrawn, never a booked place.

    Rules and errors: those of ``create_rule``; the rule's item or window does not change.
    """
    rule = (
        AppointmentRule.objects.select_for_update()
        .filter(pk=rule_id, department_id__in=handling_department_ids(staff_id))
        .first()
    )
    if rule is None:
        raise AppointmentRuleError(_("没有找到该规则"), code="not_found")
    _check(schedule)
    _apply(rule, schedule)
    rule.is_active = is_active
    if is_active:
        _refuse_clash(rule, schedule)
    rule.updated_by_id = staff_id
    rule.save()
    return SavedRule(rule.pk, publish_items(_covered_items(rule)))
