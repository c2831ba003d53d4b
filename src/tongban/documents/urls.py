from django.urls import path

from tongban.documents.views import outgoing, outgoing_operations, outgoing_tasks

app_name = "documents"

urlpatterns = [
    # 发文 (doc-flow): the list, 拟稿, one document and its 发文单, the task page of each step.
    path("staff/documents/", outgoing.document_list, name="list"),
    path("staff/documents/new/", outgoing.new_document, name="new"),
    path("staff/documents/<id:document_id>/", outgoing.document_page, name="document"),
    path("staff/documents/<id:document_id>/form/", outgoing.edit_form, name="form"),
    path("staff/documents/<id:document_id>/process/", outgoing.document_process, name="process"),
    path("staff/documents/<id:document_id>/signature.png", outgoing.signature_image, name="signature"),
    path("staff/documents/<id:document_id>/cancel/", outgoing.cancel, name="cancel"),
    path("staff/documents/<id:document_id>/withdraw/", outgoing.withdraw, name="withdraw"),
    path("staff/documents/<id:document_id>/nudge/<uuid:task_id>/", outgoing.nudge, name="nudge"),
    path("staff/document-tasks/<uuid:task_id>/", outgoing_tasks.task_page, name="task"),
    path("staff/document-tasks/<uuid:task_id>/claim/", outgoing_tasks.claim, name="claim"),
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
]
