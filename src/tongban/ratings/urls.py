from django.urls import path

from tongban.ratings import staff_views, views

app_name = "ratings"

urlpatterns = [
    path("applications/<id:application_id>/rate/", views.rate, name="rate"),
    path("staff/rectifications/", staff_views.staff_list, name="staff_list"),
    path("staff/rectifications/<id:rectification_id>/", staff_views.staff_detail, name="staff_detail"),
    path("staff/rectifications/<id:rectification_id>/reply/", staff_views.staff_reply, name="staff_reply"),
    path(
        "staff/rectifications/<id:rectification_id>/follow-up/",
        staff_views.staff_follow_up,
        name="staff_follow_up",
    ),
    path("staff/rectifications/<id:rectification_id>/close/", staff_views.staff_close, name="staff_close"),
    path(
        "staff/rectifications/<id:rectification_id>/attachments/<id:attachment_id>/",
        staff_views.staff_attachment,
        name="staff_attachment",
    ),
]
