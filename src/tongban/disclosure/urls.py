from django.urls import path

from tongban.disclosure import public_views, views

app_name = "disclosure"

urlpatterns = [
    # staff
    path("staff/disclosure/", views.staff_list, name="staff_list"),
    path("staff/disclosure/new/", views.new, name="new"),
    path("staff/disclosure/timeliness/", views.timeliness, name="timeliness"),
    path("staff/disclosure/report/", views.report, name="report"),
    path("staff/disclosure/report.pdf", views.report_pdf, name="report_pdf"),
    path("staff/disclosure/reviews/", views.save_review, name="save_review"),
    path("staff/disclosure/guide/", views.guide_edit, name="guide_edit"),
    path("staff/disclosure/from-document/<id:document_id>/", views.from_document, name="from_document"),
    path("staff/disclosure/<id:item_id>/", views.staff_item, name="staff_item"),
    path("staff/disclosure/<id:item_id>/edit/", views.edit, name="edit"),
    path("staff/disclosure/<id:item_id>/mask/", views.mask, name="mask"),
    path("staff/disclosure/<id:item_id>/justify/", views.justify, name="justify"),
    path("staff/disclosure/<id:item_id>/files/", views.add_attachment, name="add_attachment"),
    path(
        "staff/disclosure/<id:item_id>/files/<id:attachment_id>/",
        views.staff_attachment,
        name="staff_attachment",
    ),
    path(
        "staff/disclosure/<id:item_id>/files/<id:attachment_id>/delete/",
        views.remove_attachment,
        name="remove_attachment",
    ),
    path("staff/disclosure/<id:item_id>/publish/", views.publish, name="publish"),
    path("staff/disclosure/<id:item_id>/revise/", views.revise, name="revise"),
    path("staff/disclosure/<id:item_id>/validity/", views.set_validity, name="validity"),
    path("staff/disclosure/<id:item_id>/withdraw/", views.withdraw, name="withdraw"),
    path("staff/disclosure-tasks/<uuid:task_id>/", views.task_page, name="task"),
    path("staff/disclosure-tasks/<uuid:task_id>/claim/", views.claim, name="claim"),
    # public
    path("disclosure/", public_views.catalogue, name="catalogue"),
    path("disclosure/items/<id:item_id>/", public_views.item, name="item"),
    path(
        "disclosure/items/<id:item_id>/files/<id:attachment_id>/",
        public_views.attachment,
        name="attachment",
    ),
    path("disclosure/guides/", public_views.guides, name="guides"),
    path("disclosure/departments/<id:department_id>/guide/", public_views.guide, name="guide"),
    path("disclosure/rss/", public_views.DisclosureRss(), name="rss"),
    path("disclosure/atom/", public_views.DisclosureAtom(), name="atom"),
    path(
        "disclosure/departments/<id:department_id>/rss/", public_views.DisclosureRss(), name="department_rss"
    ),
    path(
        "disclosure/departments/<id:department_id>/atom/",
        public_views.DisclosureAtom(),
        name="department_atom",
    ),
]
