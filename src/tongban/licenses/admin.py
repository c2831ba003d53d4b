from django.contrib import admin

from tongban.licenses.models import LicenseBinding, LicenseType, Seal


@admin.register(LicenseType)
class LicenseTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "department", "holder_kind", "validity_years")
    list_filter = ("holder_kind",)


@admin.register(LicenseBinding)
class LicenseBindingAdmin(admin.ModelAdmin):
    list_display = ("item", "license_type")


@admin.register(Seal)
class SealAdmin(admin.ModelAdmin):
    """Seals are made by ``services.create_seal``; the admin shows them, never the key (T-F5)."""

    list_display = ("name", "department", "algorithm", "key_id", "is_active", "created_at")
    readonly_fields = ("department", "key_id", "algorithm", "public_key_pem", "is_active", "created_at")
    exclude = ("private_key_ref",)

    def has_add_permission(self, request) -> bool:
        return False
