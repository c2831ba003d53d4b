from django.urls import path

from tongban.operations import views

app_name = "operations"

urlpatterns = [
    path("readyz", views.readiness, name="readiness"),
    path("metrics", views.metrics, name="metrics"),
]
