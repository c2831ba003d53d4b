from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tongban.accounts.models import StaffTotpDevice, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "full_name", "kind", "is_active", "last_login")
    list_filter = ("kind", "is_active", "is_staff")
    search_fields = ("username", "full_name", "uscc")
    # Staff see the resident ID masked only (T-M3); the keyed hash is never shown.
    readonly_fields = ("resident_id_masked",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("full_name", "kind", "phone", "email", "resident_id_masked")}),
        (_("法人信息"), {"fields": ("uscc", "legal_representative")}),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )


@admin.register(StaffTotpDevice)
class StaffTotpDeviceAdmin(admin.ModelAdmin):
    """Removing a staff member's authenticator (a lost or new phone) is the only change: at the next login
    they bind a new one. The secret is never shown, not even encrypted."""

    list_display = ("user", "created_at", "confirmed_at")
    search_fields = ("user__username", "user__full_name")
    fields = ("user", "created_at", "confirmed_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: StaffTotpDevice | None = None) -> bool:
        return False
