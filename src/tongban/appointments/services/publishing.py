"""Publishing slots: from opening rules for the coming weeks (the periodic job, and after a rule is
saved), or one day by hand.

The rules own an item's slots from tomorrow to ``TONGBAN_APPOINTMENT_WEEKS_AHEAD`` weeks ahead: a run
creates the slots they give that do not exist yet, sets the places of those that do, and withdraws
the others. A withdrawn slot nobody ever booked is deleted; one with bookings keeps them and takes no
new ones (its places shrink to those booked). Nothing booked is ever removed or shrunk below its
bookings. A run is idempotent: the slot's unique constraint (item, hall, date, start) and the lock on
the item's rules make a second run, or two at once, change nothing.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tongban.appointments.errors import AppointmentError
from tongban.appointments.models import Appointment, AppointmentClosure, AppointmentRule, AppointmentSlot
from tongban.appointments.rules import Schedule, day_slots, split_quota
from tongban.appointments.selectors import (
    appointable_item,
    appointable_items,
    china_now,
    handling_department_ids,
)
from tongban.appointments.types import AppointableItem, PublishReport, SlotRef
from tongban.core.calendar import DayKind, day_kinds, is_working_day

ONE_DAY = dt.timedelta(days=1)


def publishing_window(today: dt.date, weeks: int | None = None) -> tuple[dt.date, dt.date]:
    """The days the rules keep published: tomorrow up to ``weeks`` weeks from today."""
    weeks = settings.TONGBAN_APPOINTMENT_WEEKS_AHEAD if weeks is None else weeks
    return today + ONE_DAY, today + dt.timedelta(weeks=weeks)


def _rules_scope(item_id: int, item: AppointableItem | None) -> Q:
    scope = Q(item_id=item_id)
    if item is not None:
        scope |= Q(item__isnull=True, department_id=item.department_id, hall_id=item.hall_id)
    return scope


def _closed_dates(item: AppointableItem, first: dt.date, last: dt.date) -> set[dt.date]:
    return set(
        AppointmentClosure.objects.filter(hall_id=item.hall_id, date__range=(first, last))
        .filter(Q(item_id=item.item_id) | Q(item__isnull=True, department_id=item.department_id))
        .values_list("date", flat=True)
    )


def _wanted(
    item: AppointableItem | None,
    rules: list[AppointmentRule],
    kinds: dict[dt.date, DayKind],
    closed: set[dt.date],
) -> dict[tuple[dt.date, dt.time], tuple[dt.time, int]]:
    """(date, start) -> (end, places) of every slot the rules give the item in the window."""
    if item is None or not item.supports_appointment or item.hall_id is None:
        return {}
    active = [rule for rule in rules if rule.is_active and rule.hall_id == item.hall_id]
    own: list[Schedule] = [rule.schedule for rule in active if rule.item_id == item.item_id]
    window: list[Schedule] = [rule.schedule for rule in active if rule.item_id is None]
    wanted = {}
    for day, kind in kinds.items():
        if day in closed:
            continue
        # On a day one of the item's own rules opens, its window rules do not apply.
        schedules = [s for s in own if s.opens_on(day, kind)] or [s for s in window if s.opens_on(day, kind)]
        for start, end, places in day_slots(schedules, item.daily_quota):
            wanted[(day, start)] = (end, places)
    return wanted


def _publish_item(
    item_id: int, item: AppointableItem | None, first: dt.date, last: dt.date, kinds: dict[dt.date, DayKind]
) -> PublishReport:
    """Bring one item's slots in the window in line with its rules, in one transaction.

    Locks: the item's rules (id order) first, so two runs for the item take turns; then its slots, so
    a booking in progress finishes first and its place is seen. Closures are read after the locks.
    """
    with transaction.atomic():
        rules = list(
            AppointmentRule.objects.select_for_update().filter(_rules_scope(item_id, item)).order_by("pk")
        )
        slots = list(
            AppointmentSlot.objects.select_for_update()
            .filter(item_id=item_id, date__range=(first, last))
            .order_by("pk")
        )
        ever_booked = set(
            Appointment.objects.filter(slot_id__in=[slot.pk for slot in slots]).values_list(
                "slot_id", flat=True
            )
        )
        closed = _closed_dates(item, first, last) if item is not None else set()
        wanted = _wanted(item, rules, kinds, closed)
        updated: list[AppointmentSlot] = []
        deleted: list[int] = []
        kept: set[tuple[dt.date, dt.time]] = set()
        withdrawn = 0
        for slot in slots:
            key = (slot.date, slot.start_time)
            if item is not None and slot.hall_id == item.hall_id and key in wanted:
                kept.add(key)
                end, places = wanted[key]
                if slot.pk in ever_booked:
                    end = slot.end_time  # the applicants were told this time
                places = max(places, slot.booked_count)
            elif slot.pk not in ever_booked:
                deleted.append(slot.pk)
                continue
            else:  # booked once: it stays for its appointments and takes no new booking
                end, places = slot.end_time, slot.booked_count
                if slot.capacity != places:
                    withdrawn += 1
            if (slot.capacity, slot.end_time) != (places, end):
                slot.capacity, slot.end_time = places, end
                updated.append(slot)
        AppointmentSlot.objects.filter(pk__in=deleted).delete()
        AppointmentSlot.objects.bulk_update(updated, ["capacity", "end_time"])
        created = [
            AppointmentSlot(
                item_id=item_id,
                item_name=item.name,
                department_id=item.department_id,
                hall_id=item.hall_id,
                date=day,
                start_time=start,
                end_time=end,
                capacity=places,
            )
            for (day, start), (end, places) in sorted(wanted.items())
            if item is not None and item.hall_id is not None and (day, start) not in kept
        ]
        AppointmentSlot.objects.bulk_create(created)
    return PublishReport(
        created=len(created), changed=len(updated) - withdrawn, withdrawn=withdrawn + len(deleted)
    )


def ruled_item_ids(*, department_ids: set[int] | None = None) -> set[int]:
    """Items some rule (in force or not) speaks for: an item rule's item, and every item a window rule
    covers (its department's appointable items in the window's hall)."""
    rules = AppointmentRule.objects.all()
    if department_ids is not None:
        rules = rules.filter(department_id__in=department_ids)
    item_ids = set(rules.filter(item__isnull=False).values_list("item_id", flat=True))
    pairs = set(rules.filter(item__isnull=True).values_list("department_id", "hall_id"))
    if pairs:
        covered = appointable_items(department_ids={department for department, _hall in pairs})
        item_ids |= {item.item_id for item in covered.values() if (item.department_id, item.hall_id) in pairs}
    return item_ids


def publish_items(
    item_ids: set[int], *, today: dt.date | None = None, weeks: int | None = None
) -> PublishReport:
    """Publish the given items' slots from their rules (see the module docstring); one transaction per
    item, so a long run never holds many locks."""
    first, last = publishing_window(today or china_now().date(), weeks)
    kinds = day_kinds(first, last)
    items = appointable_items(item_ids=item_ids)
    report = PublishReport()
    for item_id in sorted(item_ids):
        report += _publish_item(item_id, items.get(item_id), first, last, kinds)
    return report


def publish_ahead(*, today: dt.date | None = None, weeks: int | None = None) -> PublishReport:
    """The periodic job: keep every ruled item's slots published ``weeks`` weeks ahead (setting
    TONGBAN_APPOINTMENT_WEEKS_AHEAD by default). Safe to run twice or at the same time."""
    return publish_items(ruled_item_ids(), today=today, weeks=weeks)


def _slot_ref(slot: AppointmentSlot) -> SlotRef:
    return SlotRef(
        id=slot.pk,
        item_id=slot.item_id,
        hall_id=slot.hall_id,
        date=slot.date,
        start_time=slot.start_time,
        end_time=slot.end_time,
        capacity=slot.capacity,
        booked_count=slot.booked_count,
    )


def _checked_times(times: list[tuple[dt.time, dt.time]]) -> list[tuple[dt.time, dt.time]]:
    if not times:
        raise AppointmentError(_("请至少添加一个预约时段"), code="no_times")
    ordered = sorted(times)
    if any(end <= start for start, end in ordered):
        raise AppointmentError(_("预约时段的结束时间须晚于开始时间"), code="end_before_start")
    if any(later[0] < earlier[1] for earlier, later in pairwise(ordered)):
        raise AppointmentError(_("预约时段不能重叠"), code="overlap")
    return ordered


@transaction.atomic
def publish_slots(
    *,
    implementation_code: str,
    hall_id: int,
    date: dt.date,
    times: list[tuple[dt.time, dt.time]],
    staff_id: int,
) -> list[SlotRef]:
    """Publish one day's time slots (start, end) for an item at a hall; returns them in time order.

    Rules: only a clerk or department admin of the item's department (for anyone else the item is
    "not found", T-B3); the item is published and supports appointments (支持预约办理); the hall is the
    item's 办理地点; the date is after today and a working day by core.calendar (调休 Saturdays
    included, holidays not); slots end after they start and do not overlap.

    Capacity: the item's daily quota (每日预约名额) is split across ``times`` by ``split_quota``, so
    there can be no more slots than the quota. Idempotent: a slot already published at the same start
    time is kept as it is (it may hold bookings); if the kept and the new slots together would offer
    more than the quota, nothing is published.

    For an item with opening rules the periodic job owns the days ahead: a slot published here that
    no rule gives is withdrawn by its next run unless someone booked it.

    Raises AppointmentError with the reason.
    """
    item = appointable_item(implementation_code)
    if item is None or item.department_id not in handling_department_ids(staff_id):
        raise AppointmentError(_("没有找到该事项"), code="not_found")
    if not item.supports_appointment:
        raise AppointmentError(_("该事项不支持预约办理"), code="no_appointments")
    if item.hall_id != hall_id:
        raise AppointmentError(_("该事项不在所选大厅办理"), code="wrong_hall")
    if date <= china_now().date():
        raise AppointmentError(_("只能发布明天及以后的预约时段"), code="not_future")
    if not is_working_day(date):
        raise AppointmentError(_("所选日期不是工作日，不能发布预约时段"), code="not_working_day")
    ordered = _checked_times(times)
    if len(ordered) > item.daily_quota:
        raise AppointmentError(
            _("预约时段数不能多于每日预约名额（%(quota)s个）") % {"quota": item.daily_quota},
            code="too_many_slots",
        )
    existing = {
        slot.start_time: slot
        for slot in AppointmentSlot.objects.select_for_update().filter(
            item_id=item.item_id, hall_id=hall_id, date=date
        )
    }
    new_slots = [
        AppointmentSlot(
            item_id=item.item_id,
            item_name=item.name,
            department_id=item.department_id,
            hall_id=hall_id,
            date=date,
            start_time=start,
            end_time=end,
            capacity=capacity,
        )
        for (start, end), capacity in zip(ordered, split_quota(item.daily_quota, len(ordered)), strict=True)
        if start not in existing
    ]
    offered = sum(slot.capacity for slot in [*existing.values(), *new_slots])
    if offered > item.daily_quota:
        raise AppointmentError(
            _("该日已发布的预约时段加上新时段将超过每日预约名额（%(quota)s个）")
            % {"quota": item.daily_quota},
            code="over_quota",
        )
    AppointmentSlot.objects.bulk_create(new_slots)
    starts = [start for start, _end in ordered]
    return [
        _slot_ref(slot)
        for slot in AppointmentSlot.objects.filter(
            item_id=item.item_id, hall_id=hall_id, date=date, start_time__in=starts
        ).order_by("start_time")
    ]
