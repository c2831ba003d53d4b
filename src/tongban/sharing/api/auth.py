"""Who may call the exchange: a department system holding a valid OAuth2 client-credentials token
with the ``exchange`` scope, whose client is registered and active (T-D3). Rate-limited per client."""

from __future__ import annotations

from django.conf import settings
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from tongban.sharing import services


class IsExchangeClient(BasePermission):
    message = "需要有效的数据交换客户端访问令牌。"

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if (
            token is None
            or not hasattr(token, "application_id")
            or not token.is_valid([services.EXCHANGE_SCOPE])
        ):
            return False
        caller = services.client_for_oauth_application(token.application_id)
        if caller is None:
            return False
        request.exchange_caller = caller
        return True


class ExchangeClientThrottle(SimpleRateThrottle):
    """Requests per exchange client, whatever address they come from (T-D5)."""

    scope = "exchange"

    def get_rate(self) -> str:
        return settings.TONGBAN_EXCHANGE_RATE

    def get_cache_key(self, request, view) -> str | None:
        token = request.auth
        if token is None or not hasattr(token, "application_id"):
            return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
        return self.cache_format % {"scope": self.scope, "ident": f"client-{token.application_id}"}
