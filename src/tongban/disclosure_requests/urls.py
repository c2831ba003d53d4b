from django.urls import path

from tongban.disclosure_requests import views

app_name = "disclosure_requests"

urlpatterns = [
    path("disclosure-requests/apply/", views.apply, name="apply"),
    path("disclosure-requests/mine/", views.mine, name="mine"),
    path("disclosure-requests/mine/<id:request_id>/", views.mine_detail, name="mine_detail"),
    path("disclosure-requests/mine/<id:request_id>/correct/", views.correct, name="correct"),
    path(
        "disclosure-requests/mine/<id:request_id>/answer.pdf", views.mine_answer_pdf, name="mine_answer_pdf"
    ),
    path(
        "disclosure-requests/mine/<id:request_id>/notices/<id:notice_id>.pdf",
        views.mine_notice_pdf,
        name="mine_notice_pdf",
    ),
    path(
        "disclosure-requests/mine/<id:request_id>/files/<id:file_id>.pdf", views.mine_file, name="mine_file"
    ),
    path("disclosure-requests/annual-reports/", views.public_reports, name="public_reports"),
    path("disclosure-requests/annual-reports/<id:report_id>/", views.public_report, name="public_report"),
    path(
        "disclosure-requests/annual-reports/<id:report_id>.pdf",
        views.public_report_pdf,
        name="public_report_pdf",
    ),
    path("staff/disclosure-requests/", views.staff_queue, name="staff_queue"),
    path("staff/disclosure-requests/rules/", views.rules_page, name="rules"),
    path("staff/disclosure-requests/rules/<id:rule_id>/", views.rules_page, name="rule"),
    path("staff/disclosure-requests/reports/", views.staff_reports, name="staff_reports"),
    path("staff/disclosure-requests/reports/<id:report_id>/", views.staff_report, name="staff_report"),
    path("staff/disclosure-requests/<id:request_id>/", views.staff_request, name="staff_request"),
    path(
        "staff/disclosure-requests/<id:request_id>/answer.pdf",
        views.staff_answer_pdf,
        name="staff_answer_pdf",
    ),
    path(
        "staff/disclosure-requests/<id:request_id>/files/<id:file_id>/<slug:which>/",
        views.staff_file,
        name="staff_file",
    ),
    path("staff/disclosure-requests/<id:request_id>/<slug:action>/", views.staff_act, name="staff_act"),
]
