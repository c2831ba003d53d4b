"""Appointment reads, always within what the viewer may see."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from tongban.appointments.models import (
    Appointment,
    AppointmentClosure,
    AppointmentRule,
    AppointmentSlot,
    AppointmentStatus,
)
from tongban.appointments.types import AppointableItem, DaySummary
from tongban.catalog.selectors import guide_version, published_versions
from tongban.core.calendar import CHINA_TZ
from tongban.organizations.selectors import department_ids_for, hall_ref, windows_serving
from tongban.organizations.types import HallRef, WindowRef

# Staff who publish slots and receive applicants at the hall. Not the roles that read cases: those are
# organizations.selectors.CASE_ROLES.
HALL_ROLES = ("clerk", "department_admin")


def china_now() -> dt.datetime:
    """Now in Beijing time, the clock every slot is written in."""
    return timezone.localtime(timezone.now(), CHINA_TZ)


def _appointable(version) -> AppointableItem:
    return AppointableItem(
        item_id=version.item_id,
        implementation_code=version.item.implementation_code,
        name=version.name,
        department_id=version.item.department_id,
        hall_id=version.hall_id,
        supports_appointment=version.supports_appointment,
        daily_quota=version.appointment_daily_quota,
        rules=version.appointment_rules,
    )


def appointable_item(implementation_code: str) -> AppointableItem | None:
    """The current published version of an item as appointments see it; None if it is not public."""
    version = guide_version(implementation_code)
    return None if version is None else _appointable(version)


def appointable_items(
    *, department_ids: set[int] | None = None, item_ids: set[int] | None = None
) -> dict[int, AppointableItem]:
    """Published items that support appointments at a hall, by item id, in name order; only those of
    ``department_ids`` and ``item_ids`` when given."""
    versions = published_versions().filter(supports_appointment=True, hall__isnull=False)
    if department_ids is not None:
        versions = versions.filter(item__department_id__in=department_ids)
    if item_ids is not None:
        versions = versions.filter(item_id__in=item_ids)
    return {version.item_id: _appointable(version) for version in versions}


def _booking_days() -> int:
    # Today and every day the periodic job keeps published.
    return 7 * settings.TONGBAN_APPOINTMENT_WEEKS_AHEAD + 1


def open_slots_for_item(
    item_id: int, *, from_date: dt.date, days: int | None = None
) -> QuerySet[AppointmentSlot]:
    """Slots of the item with a place left that have not started, dated ``from_date`` up to
    ``days - 1`` days later (by default as far as slots are published ahead), in time order."""
    now = china_now()
    last = from_date + dt.timedelta(days=(days or _booking_days()) - 1)
    return (
        AppointmentSlot.objects.filter(
            item_id=item_id,
            date__range=(max(from_date, now.date()), last),
            booked_count__lt=F("capacity"),
        )
        .exclude(date=now.date(), start_time__lte=now.time())
        .order_by("date", "start_time", "pk")
    )


def available_slots(
    implementation_code: str, *, from_date: dt.date, days: int | None = None
) -> QuerySet[AppointmentSlot]:
    """What an applicant can book for a published item that supports appointments (else nothing)."""
    item = appointable_item(implementation_code)
    if item is None or not item.supports_appointment:
        return AppointmentSlot.objects.none()
    return open_slots_for_item(item.item_id, from_date=from_date, days=days)


def appointments_of(applicant_id: int) -> QuerySet[Appointment]:
    """我的预约: the applicant's own appointments, latest date first."""
    return (
        Appointment.objects.filter(applicant_id=applicant_id)
        .select_related("slot")
        .order_by("-date", "-slot__start_time", "-created_at")
    )


def get_appointment_for_applicant(applicant_id: int, appointment_id: int) -> Appointment | None:
    """The applicant's own appointment, or None: another person's is a 404 (T-B1)."""
    return (
        Appointment.objects.filter(pk=appointment_id, applicant_id=applicant_id)
        .select_related("slot")
        .first()
    )


def handling_department_ids(staff_id: int) -> set[int]:
    """Departments whose slots and appointments the staff member handles (clerk or department admin)."""
    return set().union(*(department_ids_for(user_id=staff_id, role=role) for role in HALL_ROLES))


def day_queue(staff_id: int, *, hall_id: int, date: dt.date) -> QuerySet[Appointment]:
    """The day's appointments at a hall for items of the staff member's departments (T-B3), by start
    time, then by booking time. Cancelled appointments are left out."""
    return (
        Appointment.objects.filter(
            slot__hall_id=hall_id,
            date=date,
            slot__department_id__in=handling_department_ids(staff_id),
        )
        .exclude(status=AppointmentStatus.CANCELLED)
        .select_related("slot", "applicant")
        .order_by("slot__start_time", "created_at", "pk")
    )


def get_appointment_for_staff(staff_id: int, appointment_id: int) -> Appointment | None:
    """An appointment for an item of one of the staff member's departments, or None (T-B3)."""
    return (
        Appointment.objects.filter(
            pk=appointment_id, slot__department_id__in=handling_department_ids(staff_id)
        )
        .select_related("slot")
        .first()
    )


def queue_halls(staff_id: int) -> list[HallRef]:
    """Halls where the staff member's departments have published slots, by name."""
    hall_ids = (
        AppointmentSlot.objects.filter(department_id__in=handling_department_ids(staff_id))
        .order_by()
        .values_list("hall_id", flat=True)
        .distinct()
    )
    return sorted(hall_refs(set(hall_ids)).values(), key=lambda hall: hall.name)


def hall_refs(hall_ids: set[int]) -> dict[int, HallRef]:
    return {hall_id: hall_ref(hall_id) for hall_id in hall_ids}


def rules_for(staff_id: int) -> QuerySet[AppointmentRule]:
    """预约规则 of the staff member's departments (T-B3), by hall, item or window, start date."""
    return AppointmentRule.objects.filter(department_id__in=handling_department_ids(staff_id))


def get_rule_for(staff_id: int, rule_id: int) -> AppointmentRule | None:
    """A rule of one of the staff member's departments, or None (T-B3)."""
    return rules_for(staff_id).filter(pk=rule_id).first()


def rule_windows(staff_id: int) -> list[WindowRef]:
    """Windows a rule can be written for: staffed for one of the staff member's departments, in a hall
    where that department has an item that can be booked."""
    departments = handling_department_ids(staff_id)
    halls = {
        (item.department_id, item.hall_id) for item in appointable_items(department_ids=departments).values()
    }
    return [
        window for window in windows_serving(departments) if (window.department_id, window.hall_id) in halls
    ]


def staff_halls(staff_id: int) -> list[HallRef]:
    """Halls where the staff member's departments have items that can be booked, by name."""
    items = appointable_items(department_ids=handling_department_ids(staff_id))
    return sorted(
        hall_refs({item.hall_id for item in items.values() if item.hall_id}).values(), key=lambda h: h.name
    )


def slot_summaries(staff_id: int, *, hall_id: int, first: dt.date, last: dt.date) -> list[DaySummary]:
    """Per day and item, the published slots of the staff member's departments at a hall (T-B3): how
    many, how many places, how many booked. By date, then item name."""
    rows = (
        AppointmentSlot.objects.filter(
            department_id__in=handling_department_ids(staff_id), hall_id=hall_id, date__range=(first, last)
        )
        .values("date", "item_id", "item_name")
        .annotate(
            slots=Count("pk", filter=Q(capacity__gt=0)),
            capacity=Sum("capacity"),
            booked=Sum("booked_count"),
        )
        .order_by("date", "item_name", "item_id")
    )
    return [DaySummary(**row) for row in rows]


def item_slots(staff_id: int, *, item_id: int, first: dt.date, last: dt.date) -> QuerySet[AppointmentSlot]:
    """Every slot of one item of the staff member's departments (T-B3), withdrawn ones included."""
    return AppointmentSlot.objects.filter(
        department_id__in=handling_department_ids(staff_id), item_id=item_id, date__range=(first, last)
    ).order_by("date", "start_time", "pk")


def closures_for(staff_id: int, *, from_date: dt.date) -> QuerySet[AppointmentClosure]:
    """停止预约日 of the staff member's departments (T-B3) from ``from_date`` on, by date."""
    return AppointmentClosure.objects.filter(
        department_id__in=handling_department_ids(staff_id), date__gte=from_date
    ).order_by("date", "hall_id", "item_name", "pk")


def get_closure_for(staff_id: int, closure_id: int) -> AppointmentClosure | None:
    return AppointmentClosure.objects.filter(
        department_id__in=handling_department_ids(staff_id), pk=closure_id
    ).first()
