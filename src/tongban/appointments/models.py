"""Appointments (预约): time slots a hall publishes for an item, and the places applicants book in them.

Hall staff write opening rules (``AppointmentRule``: weekdays, opening times split into slots, a date
range) for one item or for their department's items at a window; a periodic job publishes the slots
they give for the coming weeks, skipping holidays and closed days (``AppointmentClosure``).

A slot's ``booked_count`` is the number of places taken; the database keeps it between 0 and
``capacity`` whatever the caller (T-H6). One applicant holds at most one booked appointment per item
and day, also enforced by the database.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tongban.appointments.rules import Schedule
from tongban.core.calendar import CHINA_TZ


class AppointmentSlot(models.Model):
    """A time slot in a hall in which ``capacity`` applicants can be served for one item."""

    item = models.ForeignKey(
        "catalog.ServiceItem", verbose_name=_("事项"), on_delete=models.PROTECT, related_name="+"
    )
    # Copied from the published item when the slot is published: staff scoping and the pages need no
    # join into the catalog, and the applicant sees the name they booked under.
    item_name = models.CharField(_("事项名称"), max_length=200)
    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("实施主体"), on_delete=models.PROTECT, related_name="+"
    )
    hall = models.ForeignKey(
        "organizations.ServiceHall", verbose_name=_("大厅"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("日期"))
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    capacity = models.PositiveIntegerField(_("名额"))
    booked_count = models.PositiveIntegerField(_("已预约人数"), default=0)
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("预约时段")
        verbose_name_plural = _("预约时段")
        ordering = ["date", "start_time", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "hall", "date", "start_time"], name="appointment_slot_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(booked_count__gte=0) & Q(booked_count__lte=F("capacity")),
                name="appointment_slot_booked_within_capacity",
                violation_error_message=_("已预约人数不能超过名额"),
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="appointment_slot_ends_after_start",
                violation_error_message=_("结束时间须晚于开始时间"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_name} {self.date:%Y-%m-%d} {self.start_time:%H:%M}"

    def clean(self) -> None:
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("结束时间须晚于开始时间")})
        if self.capacity is not None and self.booked_count > self.capacity:
            raise ValidationError({"capacity": _("名额不能少于已预约人数")})

    @property
    def remaining(self) -> int:
        return self.capacity - self.booked_count

    @property
    def starts_at(self) -> dt.datetime:
        """When the slot starts: its date and time are Beijing time."""
        return dt.datetime.combine(self.date, self.start_time, tzinfo=CHINA_TZ)


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("已预约")
    CANCELLED = "cancelled", _("已取消")
    ATTENDED = "attended", _("已到场")
    NO_SHOW = "no_show", _("未到场")


class Appointment(models.Model):
    """One applicant's place in a slot. ``code`` is what they show at the hall."""

    code = models.CharField(_("预约码"), max_length=6, unique=True)
    slot = models.ForeignKey(
        AppointmentSlot, verbose_name=_("预约时段"), on_delete=models.PROTECT, related_name="appointments"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人账户"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        "catalog.ServiceItem", verbose_name=_("事项"), on_delete=models.PROTECT, related_name="+"
    )
    # The slot's date, here so the database can enforce one booking per applicant, item and day.
    date = models.DateField(_("预约日期"))
    status = models.CharField(
        _("状态"), max_length=16, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    created_at = models.DateTimeField(_("预约时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    # Empty when the applicant cancelled; the hall's reason when staff closed the day.
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        ordering = ["date", "created_at", "pk"]
        constraints = [
            # T-H6: the same person cannot hold two places for the same item on one day.
            models.UniqueConstraint(
                fields=["applicant", "item", "date"],
                condition=Q(status="booked"),
                name="one_booked_appointment_per_applicant_item_day",
            ),
            models.CheckConstraint(
                condition=Q(status="cancelled", cancelled_at__isnull=False)
                | (~Q(status="cancelled") & Q(cancelled_at__isnull=True)),
                name="cancelled_appointment_has_cancel_time",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class AppointmentRule(models.Model):
    """开放规则: on which days and at which times a department's items can be booked at a hall.

    Either one item (``item``) or every appointable item of ``department`` at a window's hall
    (``window``); on a day an item rule opens, that item's window rules do not apply. Opening times
    are split into slots of ``slot_minutes``; each slot's places come from the item's daily quota.
    """

    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("实施主体"), on_delete=models.PROTECT, related_name="+"
    )
    hall = models.ForeignKey(
        "organizations.ServiceHall", verbose_name=_("大厅"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        "catalog.ServiceItem",
        verbose_name=_("事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    item_name = models.CharField(_("事项名称"), max_length=200, blank=True)
    window = models.ForeignKey(
        "organizations.ServiceWindow",
        verbose_name=_("窗口"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    window_label = models.CharField(_("窗口名称"), max_length=200, blank=True)
    weekdays = models.CharField(_("开放日"), max_length=7, help_text=_("ISO 星期序号，1 为周一，7 为周日"))
    on_adjusted_workdays = models.BooleanField(_("调休上班日开放"), default=True)
    time_ranges = models.JSONField(_("开放时间"), help_text=_('如 [["09:00", "12:00"], ["13:30", "17:30"]]'))
    slot_minutes = models.PositiveSmallIntegerField(_("每个预约时段分钟数"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("预约开放规则")
        verbose_name_plural = _("预约开放规则")
        ordering = ["hall_id", "item_name", "window_label", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(item__isnull=False, window__isnull=True)
                | Q(item__isnull=True, window__isnull=False),
                name="appointment_rule_for_an_item_or_a_window",
                violation_error_message=_("规则须适用于一个事项或一个窗口"),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="appointment_rule_ends_after_start",
                violation_error_message=_("结束日期不能早于开始日期"),
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5) & Q(slot_minutes__lte=480),
                name="appointment_rule_slot_length",
                violation_error_message=_("每个预约时段须为5至480分钟"),
            ),
        ]

    def __str__(self) -> str:
        return self.item_name or self.window_label

    @property
    def schedule(self) -> Schedule:
        return Schedule(
            weekdays=frozenset(int(day) for day in self.weekdays),
            on_adjusted_workdays=self.on_adjusted_workdays,
            time_ranges=tuple(
                (dt.time.fromisoformat(start), dt.time.fromisoformat(end)) for start, end in self.time_ranges
            ),
            slot_minutes=self.slot_minutes,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
        )


class AppointmentClosure(models.Model):
    """停止预约: a date on which a department's items at a hall (or one of them) take no appointments;
    the bookings it met were cancelled with ``reason`` and their applicants told."""

    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("实施主体"), on_delete=models.PROTECT, related_name="+"
    )
    hall = models.ForeignKey(
        "organizations.ServiceHall", verbose_name=_("大厅"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        "catalog.ServiceItem",
        verbose_name=_("事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    item_name = models.CharField(_("事项名称"), max_length=200, blank=True)
    date = models.DateField(_("日期"))
    reason = models.CharField(_("原因"), max_length=200)
    cancelled_count = models.PositiveIntegerField(_("取消的预约数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("操作时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("停止预约日")
        verbose_name_plural = _("停止预约日")
        ordering = ["date", "hall_id", "item_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "hall", "date"],
                condition=Q(item__isnull=True),
                name="appointment_closure_unique_for_all_items",
            ),
            models.UniqueConstraint(
                fields=["item", "hall", "date"],
                condition=Q(item__isnull=False),
                name="appointment_closure_unique_for_an_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.item_name}".rstrip()
