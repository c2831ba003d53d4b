from django.urls import path

from tongban.notifications import views

app_name = "notifications"

urlpatterns = [
    path("my/messages/", views.inbox, name="inbox"),
    path("my/messages/<id:notification_id>/read/", views.mark_read, name="mark_read"),
]
