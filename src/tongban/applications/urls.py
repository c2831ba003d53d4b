from django.urls import path

from tongban.applications import staff_views, views

app_name = "applications"

urlpatterns = [
    path("services/<str:code>/apply/", views.start, name="start"),
    path("my/applications/", views.mine, name="mine"),
    path("status/", views.status_query, name="status_query"),
    path("applications/<id:application_id>/", views.detail, name="detail"),
    path("applications/<id:application_id>/form/", views.form_page, name="form"),
    path("applications/<id:application_id>/materials/", views.materials_page, name="materials"),
    path("applications/<id:application_id>/check/", views.check_page, name="check"),
    path("applications/<id:application_id>/correction/", views.correction_page, name="correction"),
    path("applications/<id:application_id>/receipt/", views.receipt, name="receipt"),
    path("applications/<id:application_id>/receipt.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("applications/<id:application_id>/withdraw/", views.withdraw, name="withdraw"),
    path(
        "applications/<id:application_id>/materials/<id:material_id>/",
        views.own_material,
        name="own_material",
    ),
    path("applications/<id:application_id>/process/", views.process, name="process"),
    path("staff/tasks/", staff_views.inbox, name="staff_inbox"),
    path("staff/tasks/<uuid:task_id>/", staff_views.task_page, name="staff_task"),
    path("staff/tasks/<uuid:task_id>/claim/", staff_views.claim, name="staff_claim"),
    path("staff/tasks/<uuid:task_id>/correction/", staff_views.correction, name="staff_correction"),
    path("staff/tasks/<uuid:task_id>/send-back/", staff_views.send_back, name="staff_send_back"),
    path("staff/tasks/<uuid:task_id>/withdraw/", staff_views.withdraw, name="staff_withdraw"),
    path("staff/tasks/<uuid:task_id>/reassign/", staff_views.reassign, name="staff_reassign"),
    path("staff/tasks/<uuid:task_id>/copy/", staff_views.copy, name="staff_copy"),
    path("staff/copies/", staff_views.copies, name="staff_copies"),
    path("staff/tasks/<uuid:task_id>/sign/", staff_views.sign, name="staff_sign"),
    path("staff/tasks/<uuid:task_id>/signers/", staff_views.add_signers, name="staff_add_signers"),
    path(
        "staff/tasks/<uuid:task_id>/signers/<id:signer_id>/remove/",
        staff_views.remove_signer,
        name="staff_remove_signer",
    ),
    path(
        "staff/tasks/<uuid:task_id>/delegate-return/",
        staff_views.delegate_return,
        name="staff_delegate_return",
    ),
    path("staff/tasks/<uuid:task_id>/procedure/", staff_views.special_procedure, name="staff_procedure"),
    path("staff/applications/<id:application_id>/", staff_views.case, name="staff_case"),
    path("staff/applications/<id:application_id>/process/", staff_views.staff_process, name="staff_process"),
    path(
        "staff/applications/<id:application_id>/resident-id/<str:path>/",
        staff_views.reveal_resident_id,
        name="staff_reveal_resident_id",
    ),
    path(
        "staff/applications/<id:application_id>/approval-sheet/",
        staff_views.approval_sheet,
        name="staff_approval_sheet",
    ),
    path(
        "staff/applications/<id:application_id>/materials/<id:material_id>/",
        staff_views.staff_material,
        name="staff_material",
    ),
    path(
        "staff/applications/<id:application_id>/form-uploads/<uuid:upload_id>/",
        staff_views.staff_form_upload,
        name="staff_form_upload",
    ),
]
