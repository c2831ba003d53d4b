"""The platform's one OAuth2/OIDC validator: the data exchange's (client credentials) plus the claims and
checks of staff single sign-on (issue 20, THREATS T-A5, T-A11)."""

from __future__ import annotations

from oauth2_provider.scopes import SettingsScopes

from tongban.identity import selectors
from tongban.sharing.api.validators import ExchangeValidator

EXCHANGE_SCOPE = "exchange"


class PlatformValidator(ExchangeValidator):
    # Each claim goes out only with its scope: ``staff`` carries the departments and roles.
    oidc_claim_scope = {
        "sub": "openid",
        "amr": "openid",
        "acr": "openid",
        "name": "profile",
        "departments": "staff",
        "roles": "staff",
    }

    def get_additional_claims(self, request):
        # ``sub`` stays django-oauth-toolkit's: the account's database id, stable and neither the
        # username nor the ID number.
        return selectors.staff_claims(request.user.pk)

    def _load_application(self, client_id, request):
        application = super()._load_application(client_id, request)
        if application is not None and not selectors.may_sign_in(application.pk):
            request.client = None
            return None  # a relying party switched off: invalid_client everywhere
        return application


class PlatformScopes(SettingsScopes):
    """A relying party gets the scopes the 安全管理员 allowed it; any other client only ``exchange``."""

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        every = super().get_available_scopes(application, request, *args, **kwargs)
        if application is None:
            return every
        allowed = selectors.allowed_scopes(application.pk)
        if allowed is None:
            return [EXCHANGE_SCOPE]
        return [scope for scope in every if scope in allowed]

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        if application is not None and selectors.allowed_scopes(application.pk) is not None:
            return ["openid"]
        return [EXCHANGE_SCOPE]
