"""Staff view of slots and appointments (Django admin, in Chinese), scoped to the staff member's
departments (T-B3). Read-only: slots are published and booked through the services, which keep
``booked_count`` consistent; the only writes here are the attendance actions, which call them too."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tongban.appointments import selectors, services
from tongban.appointments.models import Appointment, AppointmentSlot
from tongban.core.errors import TongbanError


class ScopedReadOnlyAdmin(admin.ModelAdmin):
    """Visible to clerks and department admins, for their departments' rows; nothing is edited."""

    department_path = ""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        departments = selectors.handling_department_ids(request.user.pk)
        return super().get_queryset(request).filter(**{f"{self.department_path}__in": departments})

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return bool(selectors.handling_department_ids(request.user.pk))

    has_module_permission = has_view_permission

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AppointmentSlot)
class AppointmentSlotAdmin(ScopedReadOnlyAdmin):
    department_path = "department_id"
    list_display = ("item_name", "hall", "date", "start_time", "end_time", "capacity", "booked_count")
    list_filter = ("hall", "date")
    search_fields = ("item_name",)
    date_hierarchy = "date"
    ordering = ("-date", "start_time")


@admin.register(Appointment)
class AppointmentAdmin(ScopedReadOnlyAdmin):
    department_path = "slot__department_id"
    list_display = ("code", "slot", "applicant", "status", "created_at", "cancelled_at")
    list_filter = ("status", "date")
    search_fields = ("code",)
    date_hierarchy = "date"
    list_select_related = ("slot", "applicant")
    ordering = ("-date", "slot__start_time", "created_at")
    actions = ["mark_attended", "mark_no_show"]

    def _record(self, request: HttpRequest, queryset: QuerySet[Appointment], service, done: str) -> None:
        for appointment in queryset:
            try:
                service(appointment_id=appointment.pk, staff_id=request.user.pk)
            except TongbanError as exc:
                self.message_user(request, f"{appointment.code}：{exc.message}", messages.ERROR)
            else:
                self.message_user(request, f"{appointment.code}：{done}", messages.SUCCESS)

    @admin.action(description=_("登记所选预约为已到场"))
    def mark_attended(self, request: HttpRequest, queryset: QuerySet[Appointment]) -> None:
        self._record(request, queryset, services.mark_attended, _("已登记到场"))

    @admin.action(description=_("登记所选预约为未到场"))
    def mark_no_show(self, request: HttpRequest, queryset: QuerySet[Appointment]) -> None:
        self._record(request, queryset, services.mark_no_show, _("已登记未到场"))
