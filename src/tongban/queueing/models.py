"""取号叫号: the queue of a service hall. A ticket is taken for an item (at the hall's kiosk, on a phone,
or by checking in an appointment), called by a window of the item's department, and served; its times
(taken, called, served, finished) are kept for the hall's evaluation (waiting and service times)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TicketSource(models.TextChoices):
    KIOSK = "kiosk", _("大厅取号机")
    PHONE = "phone", _("手机取号")
    APPOINTMENT = "appointment", _("预约签到")


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("等候中")
    CALLED = "called", _("已叫号")
    SERVING = "serving", _("办理中")
    DONE = "done", _("已办结")
    SKIPPED = "skipped", _("已过号")


# Appointments are called before walk-ins (UX: a booked time is kept); a lower number is called first.
APPOINTMENT_PRIORITY = 0
WALK_IN_PRIORITY = 1


class TicketCounter(models.Model):
    """The last number given at a hall on a day for a prefix (A: walk-in, Y: appointment); locked to
    give the next one."""

    hall = models.ForeignKey("organizations.ServiceHall", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    prefix = models.CharField(max_length=1)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hall", "date", "prefix"], name="one_counter_per_hall_day_prefix")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.prefix}{self.last:03d}"


class QueueTicket(models.Model):
    hall = models.ForeignKey(
        "organizations.ServiceHall", verbose_name=_("大厅"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("日期"))
    number = models.CharField(_("排队号"), max_length=8)
    item = models.ForeignKey(
        "catalog.ServiceItem", verbose_name=_("事项"), on_delete=models.PROTECT, related_name="+"
    )
    item_name = models.CharField(_("事项名称"), max_length=200)
    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("实施主体"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("取号方式"), max_length=12, choices=TicketSource.choices)
    priority = models.PositiveSmallIntegerField(_("优先级"), default=WALK_IN_PRIORITY)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人账户"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    appointment_id = models.PositiveBigIntegerField(_("预约"), null=True, blank=True, unique=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    # A ticket transferred to a window is called by that window before its other tickets.
    assigned_window = models.ForeignKey(
        "organizations.ServiceWindow", verbose_name=_("转入窗口"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    window = models.ForeignKey(
        "organizations.ServiceWindow", verbose_name=_("叫号窗口"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("叫号人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    call_count = models.PositiveSmallIntegerField(_("呼叫次数"), default=0)
    taken_at = models.DateTimeField(_("取号时间"))
    called_at = models.DateTimeField(_("叫号时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("排队号")
        verbose_name_plural = _("排队号")
        ordering = ["date", "priority", "taken_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["hall", "date", "number"], name="ticket_number_unique_per_hall_day"
            ),
            # One waiting ticket per person and item a day: a second tap gives the first ticket back.
            models.UniqueConstraint(
                fields=["applicant", "item", "date"],
                condition=Q(status="waiting", applicant__isnull=False),
                name="one_waiting_ticket_per_applicant_item_day",
            ),
        ]
        indexes = [models.Index(fields=["hall", "date", "status"], name="ticket_hall_day_status")]

    def __str__(self) -> str:
        return self.number
