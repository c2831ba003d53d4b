from django.urls import path

from tongban.sharing import views

app_name = "sharing"

urlpatterns = [
    path("account/data-usage/", views.my_data_usage, name="my_data_usage"),
]
