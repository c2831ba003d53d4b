from django.urls import path

from tongban.catalog import staff_views, views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("search/suggest/", views.suggest, name="suggest"),
    path("staff/search-terms/", staff_views.search_terms, name="staff_search_terms"),
    path("staff/search-terms/<id:synonym_id>/", staff_views.search_terms, name="staff_search_term"),
    path("themes/", views.themes, name="themes"),
    path("themes/<id:theme_id>/", views.theme_items, name="theme"),
    path("departments/", views.departments, name="departments"),
    path("departments/<id:department_id>/", views.department_items, name="department"),
    path("regions/", views.regions, name="regions"),
    path("regions/<str:region_code>/", views.region_items, name="region"),
    path("services/<str:code>/", views.guide, name="guide"),
    path("services/<str:code>/print/", views.guide_print, name="guide_print"),
    path("services/<str:code>/materials/<id:material_id>/form/", views.blank_form, name="blank_form"),
    path("services/<str:code>/result-sample/", views.result_sample, name="result_sample"),
    path("sitemap/", views.sitemap, name="sitemap"),
    path("accessibility/", views.accessibility, name="accessibility"),
]
