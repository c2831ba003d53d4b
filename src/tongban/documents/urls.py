from django.urls import path

from tongban.documents.views import output

app_name = "documents"

urlpatterns: list = [
    # 套红 and 用印 (doc-output)
    path("staff/documents/<id:document_id>/typeset.pdf", output.typeset_pdf, name="typeset_pdf"),
    path("staff/documents/<id:document_id>/sealed.pdf", output.sealed_pdf, name="sealed_pdf"),
    path("staff/documents/<id:document_id>/seal/", output.seal, name="seal"),
]
