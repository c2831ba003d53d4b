"""The working-day calendar: one row per day of every seeded year (see calendar.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DaySource(models.TextChoices):
    SEEDED = "seeded", _("自动导入")
    ADMIN = "admin", _("管理员修改")


class CalendarDay(models.Model):
    """Whether people work on a day in mainland China: weekdays minus statutory holidays plus adjusted
    working days (调休), from the State Council's yearly notice.

    Every day of a seeded year has a row, so a look-up never has to guess and an administrator corrects
    a day by editing its row; an edited row belongs to the administrator and re-seeding leaves it alone.
    """

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("工作日"))
    name = models.CharField(
        _("名称"), max_length=50, blank=True, help_text=_("节假日名称，或“调休上班”；普通日子留空")
    )
    source = models.CharField(_("来源"), max_length=16, choices=DaySource.choices, default=DaySource.SEEDED)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}".rstrip()
