from django.urls import path

from tongban.appointments import views

app_name = "appointments"

urlpatterns = [
    path("services/<str:implementation_code>/appointment/", views.choose_slot, name="choose_slot"),
    path("appointments/", views.my_appointments, name="mine"),
    path("appointments/<id:appointment_id>/", views.appointment_detail, name="detail"),
    path("appointments/<id:appointment_id>/cancel/", views.cancel, name="cancel"),
    path("appointments/<id:appointment_id>/reschedule/", views.reschedule, name="reschedule"),
    path("staff/appointments/", views.staff_queue, name="staff_queue"),
    path(
        "staff/appointments/<id:appointment_id>/attended/",
        views.staff_mark_attended,
        name="staff_mark_attended",
    ),
    path(
        "staff/appointments/<id:appointment_id>/no-show/",
        views.staff_mark_no_show,
        name="staff_mark_no_show",
    ),
]
