from django.urls import path

from tongban.moderation import views

app_name = "moderation"

urlpatterns = [
    path("staff/sensitive-words/", views.words, name="words"),
    path("staff/sensitive-words/<id:word_id>/remove/", views.remove, name="remove"),
]
