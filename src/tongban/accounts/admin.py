from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tongban.accounts.models import StaffTotpDevice, User
from tongban.core.audit import record_request

# Changing one of these is a grant (or a withdrawal) of power: audited (T-J2, T-B5).
PERMISSION_FIELDS = ("is_active", "is_staff", "is_superuser", "groups", "user_permissions", "kind")


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

    def save_related(self, request: HttpRequest, form: ModelForm, formsets, change: bool) -> None:
        # After the groups are saved, so the row describes the change that took effect.
        super().save_related(request, form, formsets, change)
        if changed := [name for name in PERMISSION_FIELDS if name in form.changed_data]:
            record_request(
                request,
                event="account.permissions_changed" if change else "account.created",
                object_type="user",
                object_id=form.instance.pk,
                reason=",".join(changed),
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
