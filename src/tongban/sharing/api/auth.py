"""Who may call the exchange: a department system holding a valid OAuth2 client-credentials token
with the ``exchange`` scope, whose client is registered and active (T-D3). Rate-limited per client."""

from __future__ import annotations

from django.conf import settings
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from tongban.sharing import services
from tongban.sharing.types import ExchangeCaller


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
        # Loaded with the token (api.validators.ExchangeValidator): no query here.
        client = getattr(token.application, "exchange_client", None)
        if client is None or not client.is_active:
            return False
        request.exchange_caller = ExchangeCaller(
            client_id=client.pk, department_id=client.department_id, department_name=client.department.name
        )
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
