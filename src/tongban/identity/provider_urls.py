"""The platform's OpenID Connect provider under ``/sso/`` (the toolkit's views in its own namespace,
which its discovery document reverses). Only what staff single sign-on needs: no application
management, no device flow, no dynamic registration."""

from django.urls import path, re_path
from oauth2_provider import views as oauth2_views

from tongban.identity.views import StaffAuthorizationView

app_name = "oauth2_provider"

urlpatterns = [
    path("authorize/", StaffAuthorizationView.as_view(), name="authorize"),
    path("token/", oauth2_views.TokenView.as_view(), name="token"),
    path("revoke/", oauth2_views.RevokeTokenView.as_view(), name="revoke-token"),
    path("userinfo/", oauth2_views.UserInfoView.as_view(), name="user-info"),
    path("logout/", oauth2_views.RPInitiatedLogoutView.as_view(), name="rp-initiated-logout"),
    path(".well-known/jwks.json", oauth2_views.JwksInfoView.as_view(), name="jwks-info"),
    re_path(
        r"^\.well-known/openid-configuration$",
        oauth2_views.ConnectDiscoveryInfoView.as_view(),
        name="oidc-connect-discovery-info",
    ),
]

# The discovery document at the site root too, where most relying parties look first.
root_urlpatterns = [
    re_path(r"^\.well-known/openid-configuration$", oauth2_views.ConnectDiscoveryInfoView.as_view()),
]
