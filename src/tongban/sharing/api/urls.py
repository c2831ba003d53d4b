from django.urls import path
from oauth2_provider import views as oauth2_views

from tongban.sharing.api import views

urlpatterns = [
    # Only the token endpoint: department systems use the client-credentials grant, nothing else.
    path("oauth/token/", oauth2_views.TokenView.as_view(), name="exchange-token"),
    path("oauth/revoke/", oauth2_views.RevokeTokenView.as_view(), name="exchange-revoke"),
    path("resources/", views.ResourceList.as_view(), name="exchange-resources"),
    path("resources/<str:code>/query/", views.ResourceQuery.as_view(), name="exchange-query"),
]
