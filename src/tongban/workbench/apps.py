from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps  # not the class: two defaults in one module


class WorkbenchConfig(AppConfig):
    default = True  # the app's own config; StaffAdminConfig is named in INSTALLED_APPS
    name = "tongban.workbench"
    label = "workbench"
    verbose_name = "工作台"


class StaffAdminConfig(admin_apps.AdminConfig):
    """The Django admin with ``admin_site.StaffAdminSite`` as ``admin.site`` (superusers only, and
    catalog editors for the catalog)."""

    default = False
    default_site = "tongban.workbench.admin_site.StaffAdminSite"
