from django.urls import path

from tongban.documents.views import (
    body,
    exchange,
    incoming,
    incoming_tasks,
    numbers,
    outgoing,
    outgoing_operations,
    outgoing_tasks,
    output,
    settings,
)

app_name = "documents"

urlpatterns: list = [
    # 公文交换 (doc-exchange)
    path("staff/documents/<id:document_id>/distribution/", exchange.distribution, name="distribution"),
    path(
        "staff/documents/<id:document_id>/distribution/withdraw/",
        exchange.withdraw,
        name="withdraw_distribution",
    ),
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
    # 收文办理 (doc-incoming)
    path("staff/received/", incoming.received_list, name="received_list"),
    path("staff/received/<id:received_id>/register/", incoming.register, name="received_register"),
    path("staff/received/<id:received_id>/handling/", incoming.handling_page, name="received_handling"),
    path("staff/received/<id:received_id>/signature/", incoming.signature, name="received_signature"),
    path(
        "staff/received/<id:received_id>/attachments/<id:attachment_id>/",
        incoming.attachment,
        name="received_attachment",
    ),
    path("staff/received/<id:received_id>/nudge/<uuid:task_id>/", incoming.nudge, name="received_nudge"),
    path("staff/received/<id:received_id>/read/", incoming.mark_read, name="received_read"),
    path("staff/received/<id:received_id>/archive/", incoming.archive, name="received_archive"),
    path("staff/circulation/", incoming.circulation, name="circulation"),
    path("staff/received-tasks/<uuid:task_id>/", incoming_tasks.task_page, name="received_task"),
    path("staff/received-tasks/<uuid:task_id>/claim/", incoming_tasks.claim, name="received_claim"),
    path(
        "staff/received-tasks/<uuid:task_id>/send-back/", incoming_tasks.send_back, name="received_send_back"
    ),
    path("staff/received-tasks/<uuid:task_id>/sign/", incoming_tasks.sign, name="received_sign"),
    path(
        "staff/received-tasks/<uuid:task_id>/signers/",
        incoming_tasks.add_signers,
        name="received_add_signers",
    ),
    path(
        "staff/received-tasks/<uuid:task_id>/signers/<id:signer_id>/remove/",
        incoming_tasks.remove_signer,
        name="received_remove_signer",
    ),
    path("staff/received-tasks/<uuid:task_id>/reassign/", incoming_tasks.reassign, name="received_reassign"),
    path(
        "staff/received-tasks/<uuid:task_id>/delegate-return/",
        incoming_tasks.delegate_return,
        name="received_delegate_return",
    ),
    path("staff/received-tasks/<uuid:task_id>/copy/", incoming_tasks.copy, name="received_copy"),
    # 发文 (doc-flow): the list, 拟稿, one document and its 发文单, the task page of each step.
    path("staff/documents/", outgoing.document_list, name="list"),
    path("staff/documents/new/", outgoing.new_document, name="new"),
    path("staff/documents/<id:document_id>/", outgoing.document_page, name="document"),
    path("staff/documents/<id:document_id>/form/", outgoing.edit_form, name="form"),
    path("staff/documents/<id:document_id>/process/", outgoing.document_process, name="process"),
    path("staff/documents/<id:document_id>/signature.png", outgoing.signature_image, name="signature"),
    path("staff/documents/<id:document_id>/cancel/", outgoing.cancel, name="cancel"),
    path("staff/documents/<id:document_id>/archive/", outgoing.archive, name="archive"),
    path("staff/documents/<id:document_id>/withdraw/", outgoing.withdraw, name="withdraw"),
    path("staff/documents/<id:document_id>/nudge/<uuid:task_id>/", outgoing.nudge, name="nudge"),
    path("staff/document-tasks/<uuid:task_id>/", outgoing_tasks.task_page, name="task"),
    path("staff/document-tasks/<uuid:task_id>/claim/", outgoing_operations.claim, name="claim"),
    path("staff/document-tasks/<uuid:task_id>/sign-off/", outgoing_tasks.sign_off, name="sign_off"),
    path("staff/document-tasks/<uuid:task_id>/sign/", outgoing_tasks.sign, name="sign"),
    path("staff/document-tasks/<uuid:task_id>/send-back/", outgoing_tasks.send_back, name="send_back"),
    path("staff/document-tasks/<uuid:task_id>/signers/", outgoing_operations.add_signers, name="add_signers"),
    path(
        "staff/document-tasks/<uuid:task_id>/signers/<id:signer_id>/remove/",
        outgoing_operations.remove_signer,
        name="remove_signer",
    ),
    path("staff/document-tasks/<uuid:task_id>/reassign/", outgoing_operations.reassign, name="reassign"),
    path(
        "staff/document-tasks/<uuid:task_id>/delegate-return/",
        outgoing_operations.delegate_return,
        name="delegate_return",
    ),
    path("staff/document-tasks/<uuid:task_id>/copy/", outgoing_operations.copy, name="copy"),
    path("staff/documents/settings/issuing-bodies/", settings.issuing_bodies, name="issuing_bodies"),
    path("staff/documents/settings/issuing-bodies/<id:body_id>/", settings.issuing_body, name="issuing_body"),
    path("staff/documents/settings/templates/", settings.templates, name="templates"),
    path("staff/documents/settings/templates/<id:template_id>/", settings.template, name="template"),
    path("staff/documents/settings/numbers/", numbers.numbers, name="numbers"),
]
