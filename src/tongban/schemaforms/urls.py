from django.urls import path

from tongban.schemaforms import views

app_name = "schemaforms"

urlpatterns = [
    path("uploads/<uuid:upload_id>/", views.own_upload, name="own-upload"),
]
