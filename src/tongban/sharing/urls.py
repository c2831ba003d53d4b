from django.urls import path

from tongban.sharing import views

app_name = "sharing"

urlpatterns = [
    path("account/data-usage/", views.my_data_usage, name="my_data_usage"),
    path("staff/sharing/requests/", views.access_requests, name="staff_requests"),
    path("staff/sharing/usage/", views.resource_usage, name="staff_usage"),
    path("staff/sharing/requests/<id:request_id>/", views.answer_access_request, name="staff_answer_request"),
]
