from django.urls import path

from tongban.queueing import views

app_name = "queueing"

urlpatterns = [
    path("halls/<id:hall_id>/queue/", views.kiosk, name="kiosk"),
    path("halls/<id:hall_id>/queue/display/", views.display, name="display"),
    path("halls/queue/tickets/<str:token>/", views.ticket, name="ticket"),
    path("staff/queue/", views.windows, name="windows"),
    path("staff/queue/windows/<id:window_id>/", views.window, name="window"),
    path("staff/queue/windows/<id:window_id>/act/", views.act, name="act"),
    path("staff/queue/windows/<id:window_id>/stats/", views.stats, name="stats"),
]
