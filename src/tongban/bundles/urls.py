from django.urls import path

from tongban.bundles import staff_views, views

app_name = "bundles"

urlpatterns = [
    path("bundles/<slug:code>/", views.guide, name="guide"),
    path("bundles/<slug:code>/start/", views.situation, name="situation"),
    path("my/bundles/", views.mine, name="mine"),
    path("my/bundles/<id:case_id>/", views.track, name="track"),
    path("my/bundles/<id:case_id>/form/", views.form_page, name="form"),
    path("my/bundles/<id:case_id>/materials/", views.materials, name="materials"),
    path("my/bundles/<id:case_id>/submit/", views.submit, name="submit"),
    path("staff/bundles/", staff_views.bundle_list, name="staff_list"),
    path("staff/bundles/<id:bundle_id>/", staff_views.bundle_edit, name="staff_edit"),
    path("staff/bundles/cases/<str:number>/", staff_views.staff_case, name="staff_case"),
]
