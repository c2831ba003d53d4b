from django.urls import path

from tongban.consultations import staff_views, views

app_name = "consultations"

urlpatterns = [
    path("interact/", views.interact, name="interact"),
    path("consultations/", views.consultation_list, name="list"),
    path("consultations/mine/", views.mine, name="mine"),
    path("consultations/<id:consultation_id>/", views.consultation_detail, name="detail"),
    path("consultations/<id:consultation_id>/comment/", views.comment, name="comment"),
    path("consultations/<id:consultation_id>/result/", views.result, name="result"),
    path("consultations/<id:consultation_id>/files/<id:attachment_id>/", views.attachment, name="attachment"),
    path("interviews/", views.interview_list, name="interviews"),
    path("interviews/<id:interview_id>/", views.interview_detail, name="interview"),
    path("interviews/<id:interview_id>/ask/", views.ask, name="ask"),
    # staff
    path("staff/consultations/", staff_views.manage, name="manage"),
    path("staff/consultations/new/", staff_views.new, name="staff_new"),
    path("staff/consultations/moderation/", staff_views.moderation, name="moderation"),
    path("staff/consultations/moderation/<id:comment_id>/approve/", staff_views.approve, name="approve"),
    path("staff/consultations/moderation/<id:comment_id>/reject/", staff_views.reject, name="reject"),
    path("staff/consultations/comments/<id:comment_id>/answer/", staff_views.answer, name="answer"),
    path("staff/consultations/<id:consultation_id>/", staff_views.edit, name="staff_edit"),
    path("staff/consultations/<id:consultation_id>/sections/", staff_views.add_section, name="add_section"),
    path(
        "staff/consultations/<id:consultation_id>/sections/<id:section_id>/",
        staff_views.edit_section,
        name="edit_section",
    ),
    path(
        "staff/consultations/<id:consultation_id>/sections/<id:section_id>/move/",
        staff_views.move_section,
        name="move_section",
    ),
    path(
        "staff/consultations/<id:consultation_id>/sections/<id:section_id>/remove/",
        staff_views.remove_section,
        name="remove_section",
    ),
    path(
        "staff/consultations/<id:consultation_id>/files/", staff_views.add_attachment, name="add_attachment"
    ),
    path(
        "staff/consultations/<id:consultation_id>/files/<id:attachment_id>/remove/",
        staff_views.remove_attachment,
        name="remove_attachment",
    ),
    path("staff/consultations/<id:consultation_id>/publish/", staff_views.publish, name="publish"),
    path("staff/consultations/<id:consultation_id>/close/", staff_views.close, name="close"),
    path("staff/consultations/<id:consultation_id>/comments/", staff_views.comments, name="staff_comments"),
    path("staff/consultations/<id:consultation_id>/result/", staff_views.result, name="staff_result"),
    path(
        "staff/consultations/<id:consultation_id>/result/<id:comment_id>/",
        staff_views.adoption,
        name="adoption",
    ),
    path("staff/interviews/new/", staff_views.new_interview, name="staff_new_interview"),
    path("staff/interviews/<id:interview_id>/", staff_views.interview, name="staff_interview"),
    path(
        "staff/interviews/<id:interview_id>/publish/", staff_views.publish_interview, name="publish_interview"
    ),
    path("staff/interviews/<id:interview_id>/transcript/", staff_views.transcript, name="transcript"),
]
