from django.urls import path

from tongban.workbench import views

app_name = "workbench"

urlpatterns = [
    path("staff/", views.home, name="home"),
    path("staff/readiness/", views.readiness, name="readiness"),
]
