from django.urls import path

from tongban.ratings import views

app_name = "ratings"

urlpatterns = [path("applications/<id:application_id>/rate/", views.rate, name="rate")]
