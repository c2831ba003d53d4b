from django.urls import path

from tongban.appointments import staff_views, views

app_name = "appointments"

urlpatterns = [
    path("services/<str:implementation_code>/appointment/", views.choose_slot, name="choose_slot"),
    path("appointments/", views.my_appointments, name="mine"),
    path("appointments/<id:appointment_id>/", views.appointment_detail, name="detail"),
    path("appointments/<id:appointment_id>/cancel/", views.cancel, name="cancel"),
    path("appointments/<id:appointment_id>/reschedule/", views.reschedule, name="reschedule"),
    path("staff/appointments/", staff_views.staff_queue, name="staff_queue"),
    path("staff/appointments/slots/", staff_views.staff_slots, name="staff_slots"),
    path("staff/appointments/rules/", staff_views.staff_rules, name="staff_rules"),
    path("staff/appointments/rules/new/", staff_views.staff_rule_create, name="staff_rule_create"),
    path("staff/appointments/rules/<id:rule_id>/", staff_views.staff_rule_edit, name="staff_rule_edit"),
    path("staff/appointments/closures/", staff_views.staff_closures, name="staff_closures"),
    path(
        "staff/appointments/closures/<id:closure_id>/reopen/",
        staff_views.staff_closure_reopen,
        name="staff_closure_reopen",
    ),
    path(
        "staff/appointments/<id:appointment_id>/attended/",
        staff_views.staff_mark_attended,
        name="staff_mark_attended",
    ),
    path(
        "staff/appointments/<id:appointment_id>/no-show/",
        staff_views.staff_mark_no_show,
        name="staff_mark_no_show",
    ),
]
