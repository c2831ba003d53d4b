from django.urls import path

from tongban.identity import views

app_name = "identity"

urlpatterns = [
    path("staff/sso/clients/", views.relying_parties, name="relying_parties"),
    path(
        "staff/sso/clients/<id:relying_party_id>/active/",
        views.relying_party_active,
        name="relying_party_active",
    ),
    path("account/sso/", views.external_start, name="external_start"),
    path("account/sso/callback/", views.external_callback, name="external_callback"),
]
