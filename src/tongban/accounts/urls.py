from django.urls import path

from tongban.accounts import views

app_name = "accounts"

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/register/", views.choose_account_kind, name="register"),
    path("account/register/citizen/", views.register_citizen, name="register_citizen"),
    path("account/register/enterprise/", views.register_enterprise, name="register_enterprise"),
    path("account/code/", views.send_code, name="send_code"),
    path("account/login/", views.log_in_with_password, name="login"),
    path("account/login/code/", views.log_in_with_code, name="login_code"),
    path("account/logout/", views.log_out, name="logout"),
    path("account/logged-out/", views.logged_out, name="logged_out"),
    path("staff/login/", views.staff_log_in, name="staff_login"),
    path("staff/login/verify/", views.staff_log_in_verify, name="staff_login_verify"),
]
