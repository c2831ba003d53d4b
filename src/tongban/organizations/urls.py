from django.urls import path

from tongban.organizations import department_views, directory_views, role_views, views

app_name = "organizations"

urlpatterns = [
    path("staff/directory/", directory_views.directory_page, name="directory"),
    path("staff/directory/me/", directory_views.my_entry, name="my_directory_entry"),
    path("staff/roles/", role_views.role_list, name="roles"),
    path("staff/roles/<id:role_id>/", role_views.role_edit, name="role_edit"),
    path("staff/roles/<id:role_id>/status/", role_views.role_status, name="role_status"),
    path("staff/departments/", department_views.department_list, name="departments"),
    path("staff/departments/new/", department_views.department_create, name="department_create"),
    path("staff/departments/<id:department_id>/", department_views.department_edit, name="department_edit"),
    path("staff/people/", views.staff_list, name="staff_list"),
    path("staff/people/new/", views.staff_create, name="staff_create"),
    path("staff/people/<id:user_id>/", views.staff_detail, name="staff_detail"),
    path("staff/people/<id:user_id>/roles/", views.grant_role, name="staff_grant"),
    path("staff/people/<id:user_id>/roles/withdraw/", views.withdraw_role, name="staff_withdraw"),
    path(
        "staff/people/<id:user_id>/authenticator/",
        views.reset_authenticator,
        name="staff_reset_authenticator",
    ),
    path("staff/people/<id:user_id>/password/", views.new_password, name="staff_new_password"),
    path("staff/people/<id:user_id>/deactivate/", views.deactivate, name="staff_deactivate"),
    path("staff/people/<id:user_id>/reactivate/", views.reactivate, name="staff_reactivate"),
]
