from django.urls import path

from tongban.supervision import views

app_name = "supervision"

urlpatterns = [
    path("staff/supervision/", views.board, name="board"),
    path("staff/supervision/applications/<id:application_id>/", views.intervene, name="intervene"),
]
