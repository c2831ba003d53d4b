from django.urls import path

from tongban.applications import views

app_name = "applications"

urlpatterns = [
    path("staff/applications/", views.pre_review_inbox, name="staff_inbox"),
    path("staff/applications/<int:application_id>/", views.pre_review, name="staff_pre_review"),
    path(
        "staff/applications/<int:application_id>/materials/<int:material_id>/",
        views.staff_material,
        name="staff_material",
    ),
]
