from django.urls import path

from tongban.office.views import operations, request_forms, requests, starting, tasks

app_name = "office"

urlpatterns = [
    path("staff/start/", starting.start, name="start"),
    path("staff/request-forms/", request_forms.request_forms, name="forms"),
    path("staff/request-forms/<slug:key>/", request_forms.request_form, name="form"),
    path("staff/start/<slug:key>/", starting.start_form, name="start_form"),
    path("staff/requests/", requests.my_requests, name="requests"),
    path("staff/requests/<id:request_id>/", requests.request_page, name="request"),
    path("staff/requests/<id:request_id>/process/", requests.request_process, name="request_process"),
    path("staff/requests/<id:request_id>/approval-sheet/", requests.approval_sheet, name="approval_sheet"),
    path("staff/requests/<id:request_id>/cancel/", requests.cancel, name="cancel"),
    path("staff/requests/<id:request_id>/nudge/<uuid:task_id>/", requests.nudge, name="nudge"),
    path("staff/request-tasks/<uuid:task_id>/", tasks.task_page, name="task"),
    path("staff/request-tasks/<uuid:task_id>/claim/", operations.claim, name="claim"),
    path("staff/request-tasks/<uuid:task_id>/sign/", tasks.sign, name="sign"),
    path("staff/request-tasks/<uuid:task_id>/send-back/", tasks.send_back, name="send_back"),
    path("staff/request-tasks/<uuid:task_id>/signers/", operations.add_signers, name="add_signers"),
    path(
        "staff/request-tasks/<uuid:task_id>/signers/<id:signer_id>/remove/",
        operations.remove_signer,
        name="remove_signer",
    ),
    path("staff/request-tasks/<uuid:task_id>/reassign/", operations.reassign, name="reassign"),
    path(
        "staff/request-tasks/<uuid:task_id>/delegate-return/",
        operations.delegate_return,
        name="delegate_return",
    ),
    path("staff/request-tasks/<uuid:task_id>/copy/", operations.copy, name="copy"),
]
