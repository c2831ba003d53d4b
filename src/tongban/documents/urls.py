from django.urls import path

from tongban.documents.views import body, exchange, output

app_name = "documents"

urlpatterns: list = [
    # 公文交换 (doc-exchange)
    path("staff/documents/<id:document_id>/distribution/", exchange.distribution, name="distribution"),
    path("staff/documents/<id:document_id>/distribution/withdraw/", exchange.withdraw, name="withdraw"),
    path("staff/documents/<id:document_id>/exchange-package/", exchange.package, name="package"),
    path("staff/documents/incoming/pending/", exchange.pending, name="pending"),
    path("staff/documents/incoming/import/", exchange.import_package, name="import_package"),
    path("staff/received/<id:received_id>/", exchange.received_page, name="received"),
    path("staff/received/<id:received_id>/pdf/", exchange.received_pdf, name="received_pdf"),
    path("staff/received/<id:received_id>/sign-for/", exchange.receive, name="receive"),
    path("staff/received/<id:received_id>/return/", exchange.return_document, name="return_document"),
    # 套红 and 用印 (doc-output)
    path("staff/documents/<id:document_id>/typeset.pdf", output.typeset_pdf, name="typeset_pdf"),
    path("staff/documents/<id:document_id>/sealed.pdf", output.sealed_pdf, name="sealed_pdf"),
    path("staff/documents/<id:document_id>/seal/", output.seal, name="seal"),
    path("staff/documents/<id:document_id>/body/", body.body_page, name="body"),
    path("staff/documents/<id:document_id>/body/upload/", body.body_upload, name="body_upload"),
    path("staff/documents/<id:document_id>/body.docx", body.body_docx, name="body_docx"),
    path("staff/documents/<id:document_id>/revisions/", body.revisions, name="revisions"),
]
