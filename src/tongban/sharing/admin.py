from django.contrib import admin
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from tongban.sharing.models import AccessRequest, DataItem, DataResource, ExchangeClient, Grant, UsageLogEntry


class DataItemInline(admin.TabularInline):
    model = DataItem
    extra = 0


@admin.register(DataResource)
class DataResourceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "department", "sharing_type", "subject_kind"]
    list_filter = ["sharing_type", "subject_kind"]
    inlines = [DataItemInline]


@admin.register(ExchangeClient)
class ExchangeClientAdmin(admin.ModelAdmin):
    list_display = ["name", "department", "is_active", "is_platform"]
    readonly_fields = ["oauth_application", "is_platform", "created_at"]


@admin.register(AccessRequest)
class AccessRequestAdmin(admin.ModelAdmin):
    list_display = ["resource", "department", "purpose", "status", "answer_due"]
    list_filter = ["status"]
    readonly_fields = [field.name for field in AccessRequest._meta.fields]


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    list_display = ["resource", "department", "purpose", "valid_from", "valid_until", "revoked_at"]
    readonly_fields = ["resource", "department", "purpose", "item_keys", "access_request"]


class CappedCountPaginator(Paginator):
    """Counts at most ``CAP`` rows, newest first along the primary key: the full COUNT(*) of a log with
    millions of rows is a sequential scan on every admin page view. Pages past the cap are not linked;
    the staff page and the verifier are the tools for the whole log."""

    CAP = 2_000  # 20 admin pages

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by("-id").values("id")[: self.CAP].count()


@admin.register(UsageLogEntry)
class UsageLogEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only (T-E1)."""

    list_display = ["chain", "seq", "created_at", "department_name", "resource_name", "purpose", "outcome"]
    list_filter = ["outcome", "channel"]
    ordering = ["-id"]  # newest first, read backwards along the primary key
    show_full_result_count = False  # no second COUNT(*) over the whole log on a filtered list
    paginator = CappedCountPaginator

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
