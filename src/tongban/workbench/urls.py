from django.urls import path

from tongban.workbench import audit_views, views

app_name = "workbench"

urlpatterns = [
    path("staff/", views.home, name="home"),
    path("staff/readiness/", views.readiness, name="readiness"),
    path("staff/audit/", audit_views.audit_log, name="audit_log"),
    path("staff/audit/export/", audit_views.audit_export, name="audit_export"),
]
