from django.urls import path

from tongban.documents.views import body

app_name = "documents"

urlpatterns: list = [
    path("staff/documents/<id:document_id>/body/", body.body_page, name="body"),
    path("staff/documents/<id:document_id>/body/upload/", body.body_upload, name="body_upload"),
    path("staff/documents/<id:document_id>/body.docx", body.body_docx, name="body_docx"),
    path("staff/documents/<id:document_id>/revisions/", body.revisions, name="revisions"),
]
