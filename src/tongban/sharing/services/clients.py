"""Exchange clients: one OAuth2 client (client credentials) per department system."""

from __future__ import annotations

import secrets

from django.db import transaction
from oauth2_provider.models import get_application_model

from tongban.sharing.models import (
    ExchangeClient,
)
from tongban.sharing.types import ClientCredentials, ExchangeCaller


@transaction.atomic
def register_client(*, name: str, department_id: int, is_platform: bool = False) -> ClientCredentials:
    """Register a department system as an OAuth2 client (client credentials grant).

    The secret is returned once and stored hashed by django-oauth-toolkit (T-D3)."""
    application_model = get_application_model()
    secret = secrets.token_urlsafe(32)
    application = application_model.objects.create(
        name=name,
        client_type=application_model.CLIENT_CONFIDENTIAL,
        authorization_grant_type=application_model.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        hash_client_secret=True,
    )
    client = ExchangeClient.objects.create(
        name=name, department_id=department_id, oauth_application=application, is_platform=is_platform
    )
    return ClientCredentials(client_pk=client.pk, client_id=application.client_id, client_secret=secret)


@transaction.atomic
def ensure_client(*, name: str, department_id: int, is_platform: bool = False) -> ClientCredentials:
    """The client of that name, created if missing; an existing one gets a new secret (rotation), as
    the old one cannot be read back. The demo loader prints the result in DEBUG only."""
    client = ExchangeClient.objects.select_related("oauth_application").filter(name=name).first()
    if client is None:
        return register_client(name=name, department_id=department_id, is_platform=is_platform)
    return rotate_client_secret(client_id=client.pk)


@transaction.atomic
def rotate_client_secret(*, client_id: int) -> ClientCredentials:
    """A new secret for a client; the old one stops working at once (its tokens live on until expiry)."""
    client = ExchangeClient.objects.select_related("oauth_application").select_for_update().get(pk=client_id)
    secret = secrets.token_urlsafe(32)
    application = client.oauth_application
    application.client_secret = secret
    application.save(update_fields=["client_secret"])
    return ClientCredentials(client_pk=client.pk, client_id=application.client_id, client_secret=secret)


@transaction.atomic
def disable_client(*, client_id: int) -> None:
    """Stop a client at once: its current tokens are refused on the next call (T-D3)."""
    client = ExchangeClient.objects.select_for_update().get(pk=client_id)
    client.is_active = False
    client.save(update_fields=["is_active"])
    from oauth2_provider.models import get_access_token_model

    get_access_token_model().objects.filter(application_id=client.oauth_application_id).delete()


def caller_for_client(client_id: int) -> ExchangeCaller:
    """The exchange client ``client_id`` as a caller (the platform's own uses and other in-process calls)."""
    row = ExchangeClient.objects.values_list("pk", "department_id", "department__name").get(pk=client_id)
    return ExchangeCaller(*row)
