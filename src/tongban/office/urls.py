from django.urls import path

from tongban.office import views

app_name = "office"

urlpatterns = [
    path("staff/start/", views.start, name="start"),
    path("staff/request-forms/", views.request_forms, name="forms"),
    path("staff/request-forms/<slug:key>/", views.request_form, name="form"),
    path("staff/start/<slug:key>/", views.start_form, name="start_form"),
    path("staff/requests/", views.my_requests, name="requests"),
    path("staff/requests/<id:request_id>/", views.request_page, name="request"),
    path("staff/requests/<id:request_id>/process/", views.request_process, name="request_process"),
    path("staff/requests/<id:request_id>/approval-sheet/", views.approval_sheet, name="approval_sheet"),
    path("staff/requests/<id:request_id>/cancel/", views.cancel, name="cancel"),
    path("staff/requests/<id:request_id>/nudge/<uuid:task_id>/", views.nudge, name="nudge"),
    path("staff/request-tasks/<uuid:task_id>/", views.task_page, name="task"),
    path("staff/request-tasks/<uuid:task_id>/claim/", views.claim, name="claim"),
    path("staff/request-tasks/<uuid:task_id>/sign/", views.sign, name="sign"),
    path("staff/request-tasks/<uuid:task_id>/send-back/", views.send_back, name="send_back"),
]
