"""Staff UI for the working-day calendar (Django admin, in Chinese).

Administrators correct single days, e.g. a local extra holiday or a late change of the State Council's
notice; a day saved here becomes theirs and re-seeding from chinesecalendar leaves it alone.
"""

from __future__ import annotations

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tongban.core import calendar
from tongban.core.models import AuditEvent, CalendarDay

WEEKDAYS = "一二三四五六日"


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "is_working_day", "name", "source", "updated_at")
    list_editable = ("is_working_day", "name")
    list_filter = ("is_working_day", "source")
    date_hierarchy = "date"
    list_per_page = 31
    fields = ("date", "is_working_day", "name", "source", "updated_at")
    readonly_fields = ("source", "updated_at")

    @admin.display(description=_("星期"))
    def weekday(self, obj: CalendarDay) -> str:
        return f"星期{WEEKDAYS[obj.date.weekday()]}"

    def get_readonly_fields(self, request: HttpRequest, obj: CalendarDay | None = None) -> tuple[str, ...]:
        # A row is a day: change whether people work on it, not which day it is.
        return ("date", *self.readonly_fields) if obj else self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: CalendarDay | None = None) -> bool:
        # Every day of a seeded year keeps its row; a missing day would fall back to Monday–Friday.
        return False

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: ModelForm, change: bool) -> None:
        saved = calendar.set_calendar_day(obj.date, is_working_day=obj.is_working_day, name=obj.name)
        obj.pk, obj.source, obj.updated_at = saved.pk, saved.source, saved.updated_at


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit rows are never added, changed or deleted by hand (T-J1)."""

    list_display = ("at", "event", "actor_id", "object_type", "object_id", "subject_id", "result", "ip")
    list_filter = ("result", "event")
    search_fields = ("object_id",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
