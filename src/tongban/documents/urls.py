from django.urls import path

from tongban.documents.views import numbers, settings

app_name = "documents"

urlpatterns: list = [
    path("staff/documents/settings/issuing-bodies/", settings.issuing_bodies, name="issuing_bodies"),
    path("staff/documents/settings/issuing-bodies/<id:body_id>/", settings.issuing_body, name="issuing_body"),
    path("staff/documents/settings/templates/", settings.templates, name="templates"),
    path("staff/documents/settings/templates/<id:template_id>/", settings.template, name="template"),
    path("staff/documents/settings/numbers/", numbers.numbers, name="numbers"),
]
