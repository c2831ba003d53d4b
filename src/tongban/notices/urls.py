from django.urls import path

from tongban.notices import views

app_name = "notices"

urlpatterns = [
    path("staff/notices/", views.notice_list, name="list"),
    path("staff/notices/<id:notice_id>/", views.notice_detail, name="detail"),
    path("staff/notices/<id:notice_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("staff/notices/<id:notice_id>/files/<id:attachment_id>/", views.attachment, name="attachment"),
    path("staff/notices/manage/", views.manage, name="manage"),
    path("staff/notices/manage/new/", views.new, name="new"),
    path("staff/notices/manage/<id:notice_id>/", views.edit, name="edit"),
    path("staff/notices/manage/<id:notice_id>/files/", views.add_attachment, name="add_attachment"),
    path(
        "staff/notices/manage/<id:notice_id>/files/<id:attachment_id>/remove/",
        views.remove_attachment,
        name="remove_attachment",
    ),
    path("staff/notices/manage/<id:notice_id>/publish/", views.publish, name="publish"),
    path("staff/notices/manage/<id:notice_id>/delete/", views.delete, name="delete"),
    path("staff/notices/manage/<id:notice_id>/withdraw/", views.withdraw, name="withdraw"),
    path("staff/notices/manage/<id:notice_id>/receipts/", views.receipts, name="receipts"),
    path("staff/notices/manage/<id:notice_id>/remind/", views.remind, name="remind"),
    path("staff/notices/manage/<id:notice_id>/export/", views.export, name="export"),
]
