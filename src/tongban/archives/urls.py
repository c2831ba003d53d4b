from django.urls import path

from tongban.archives import views

app_name = "archives"

urlpatterns = [
    path("staff/archives/", views.records, name="records"),
    path("staff/archives/retention/", views.retention, name="retention"),
    path("staff/archives/retention/<id:rule_id>/", views.retention_rule, name="retention_rule"),
    path(
        "staff/archives/retention/<id:rule_id>/delete/",
        views.delete_retention_rule,
        name="delete_retention_rule",
    ),
    path("staff/archives/organisation-codes/", views.organisation_code, name="organisation_code"),
    path("staff/archives/<id:record_id>/", views.record, name="record"),
    path("staff/archives/<id:record_id>/package/", views.record_package, name="package"),
]
