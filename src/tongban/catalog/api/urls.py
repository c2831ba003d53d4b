from django.urls import path

from tongban.catalog.api import views

urlpatterns = [
    path("items/", views.ItemList.as_view(), name="catalog-items"),
    path("items/<str:code>/", views.ItemDetail.as_view(), name="catalog-item"),
    path("themes/", views.ThemeList.as_view(), name="catalog-themes"),
    path("staff/items/", views.StaffItemCreate.as_view(), name="catalog-staff-items"),
    path("staff/items/<id:item_id>/draft/", views.StaffItemStartDraft.as_view(), name="catalog-staff-draft"),
    path("staff/versions/<id:version_id>/", views.StaffVersionDetail.as_view(), name="catalog-staff-version"),
    path(
        "staff/versions/<id:version_id>/publish/",
        views.StaffVersionPublish.as_view(),
        name="catalog-staff-publish",
    ),
]
