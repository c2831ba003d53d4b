from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tongban.core.audit import record_request
from tongban.organizations.models import Department, Region, ServiceHall, ServiceWindow, StaffAssignment
from tongban.organizations.selectors import role_choices


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "region", "parent", "uscc", "is_active")
    list_filter = ("region", "is_active")
    search_fields = ("name", "short_name", "uscc")


class ServiceWindowInline(admin.TabularInline):
    model = ServiceWindow
    extra = 0
    filter_horizontal = ("departments",)


@admin.register(ServiceHall)
class ServiceHallAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "address", "phone")
    inlines = [ServiceWindowInline]


class StaffAssignmentForm(forms.ModelForm):
    """The role is a code of the role table: only an active one is offered (岗位管理 keeps the table)."""

    class Meta:
        model = StaffAssignment
        fields = ("user", "department", "role")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"] = forms.ChoiceField(label=_("岗位"), choices=role_choices())


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(admin.ModelAdmin):
    """Role grants. Every grant, change and withdrawal is audited with who did it (T-J2, T-B5)."""

    form = StaffAssignmentForm

    list_display = ("user", "department", "role")
    list_filter = ("role", "department")
    autocomplete_fields = ("department",)

    def save_model(self, request: HttpRequest, obj: StaffAssignment, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _audit_grant(request, obj, "role.changed" if change else "role.granted")

    def delete_model(self, request: HttpRequest, obj: StaffAssignment) -> None:
        _audit_grant(request, obj, "role.revoked")
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[StaffAssignment]) -> None:
        for assignment in queryset:
            _audit_grant(request, assignment, "role.revoked")
        super().delete_queryset(request, queryset)


def _audit_grant(request: HttpRequest, assignment: StaffAssignment, event: str) -> None:
    record_request(
        request,
        event=event,
        object_type="user",
        object_id=assignment.user_id,
        department_id=assignment.department_id,
        reason=assignment.role,
    )
