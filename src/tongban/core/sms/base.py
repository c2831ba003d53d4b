"""What every SMS backend provides, and the values that cross the plugin point."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.utils.translation import gettext as _

from tongban.core.errors import TongbanError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class SmsTemplate:
    """A message registered with the gateway (短信模板报备): gateways send ``name`` with the parameters,
    the console and test backends fill ``text`` (``%(code)s`` placeholders) themselves."""

    name: str
    text: StrOrPromise


@dataclass(frozen=True)
class BackendStatus:
    """The answer of ``check()`` for the health page."""

    ok: bool
    detail: str


class SmsDeliveryError(TongbanError):
    """The gateway did not take the message; the caller's transaction rolls back (HTTP 503)."""

    status = 503

    def __init__(self) -> None:
        super().__init__(_("短信暂时无法发送，请稍后重试"), code="sms_unavailable")


class SmsBackend(Protocol):
    def send(self, *, phone: str, template: SmsTemplate, params: Mapping[str, str]) -> None:
        """Hand one message to the gateway, or raise ``SmsDeliveryError``."""

    def check(self) -> BackendStatus:
        """Whether this backend can deliver messages now (never sends one)."""
