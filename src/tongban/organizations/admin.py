from django.contrib import admin

from tongban.organizations.models import Department, Region, ServiceHall, ServiceWindow, StaffAssignment


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


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "department", "role")
    list_filter = ("role", "department")
    autocomplete_fields = ("department",)
