from django.urls import path

from tongban.workflow import designer_views, step_kind_views, views

app_name = "workflow"

urlpatterns = [
    path("staff/processes/", views.definitions, name="definitions"),
    path("staff/processes/<id:definition_id>/", views.definition, name="definition"),
    path("staff/processes/new/", designer_views.designer_new, name="designer_new"),
    path("staff/processes/<id:definition_id>/design/", designer_views.designer_edit, name="designer_edit"),
    path("staff/processes/design/check/", designer_views.designer_check, name="designer_check"),
    path("staff/processes/design/condition/", designer_views.designer_condition, name="designer_condition"),
    path("staff/processes/design/publish/", designer_views.designer_publish, name="designer_publish"),
    path("staff/step-kinds/", step_kind_views.step_kinds, name="step_kinds"),
    path("staff/step-kinds/<id:kind_id>/", step_kind_views.step_kind_edit, name="step_kind_edit"),
    path("staff/phrases/", views.phrases, name="phrases"),
    path("staff/out-of-office/", views.out_of_office, name="out_of_office"),
    path("staff/monitor/", views.monitor, name="monitor"),
    path("staff/monitor/migrate/", views.monitor_migration, name="monitor_migration"),
    path("staff/monitor/<id:instance_id>/", views.monitor_action, name="monitor_action"),
    path("staff/signature/", views.signature, name="signature"),
    path("staff/signature/image/", views.signature_image, name="signature_image"),
]
