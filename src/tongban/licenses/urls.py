from django.urls import path

from tongban.licenses import views

app_name = "licenses"

urlpatterns = [
    path("my/licenses/", views.mine, name="mine"),
    path("my/licenses/<id:license_pk>/", views.holder_detail, name="holder_detail"),
    path("my/licenses/<id:license_pk>/download/", views.holder_download, name="holder_download"),
    path("licenses/verify/<str:token>/", views.verify, name="verify"),
    path("licenses/shared/<str:token>/", views.shared, name="shared"),
    path("staff/licenses/", views.staff_list, name="staff_list"),
    path("staff/licenses/<id:license_pk>/", views.staff_detail, name="staff_detail"),
]
