from django.urls import path

from ceiling import views

urlpatterns = [path("rows/", views.insert), path("rows/<str:key>/", views.read)]
