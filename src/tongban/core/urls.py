from django.urls import path

from tongban.core import views

app_name = "core"

urlpatterns = [
    path("elder/", views.elder_mode, name="elder"),
    path("healthz", views.health, name="health"),
]
