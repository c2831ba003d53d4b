from django.urls import path

from tongban.applications import views

app_name = "applications"

urlpatterns = [
    path("services/<str:code>/apply/", views.start, name="start"),
    path("my/applications/", views.mine, name="mine"),
    path("status/", views.status_query, name="status_query"),
    path("applications/<int:application_id>/", views.detail, name="detail"),
    path("applications/<int:application_id>/form/", views.form_page, name="form"),
    path("applications/<int:application_id>/materials/", views.materials_page, name="materials"),
    path("applications/<int:application_id>/check/", views.check_page, name="check"),
    path("applications/<int:application_id>/receipt/", views.receipt, name="receipt"),
    path(
        "applications/<int:application_id>/materials/<int:material_id>/",
        views.own_material,
        name="own_material",
    ),
    path("staff/applications/", views.pre_review_inbox, name="staff_inbox"),
    path("staff/applications/<int:application_id>/", views.pre_review, name="staff_pre_review"),
    path(
        "staff/applications/<int:application_id>/materials/<int:material_id>/",
        views.staff_material,
        name="staff_material",
    ),
]
