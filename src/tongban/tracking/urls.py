from django.urls import path

from tongban.tracking import views

app_name = "tracking"

urlpatterns = [
    path("staff/tracking/", views.board, name="board"),
    path("staff/tracking/new/", views.new, name="new"),
    path("staff/tracking/report/", views.report, name="report"),
    path("staff/tracking/report.pdf", views.report_pdf, name="report_pdf"),
    path("staff/tracking/<id:item_id>/", views.item_page, name="item"),
    path("staff/tracking/<id:item_id>/files/<id:attachment_id>/", views.attachment, name="attachment"),
    path("staff/tracking/<id:item_id>/<slug:action>/", views.act, name="act"),
]
