"""Text messages (短信). ``send_sms`` is the only way to send one; ``TONGBAN_SMS_BACKEND`` (a dotted path,
like Django's ``EMAIL_BACKEND``) picks the backend: console (development), locmem (tests), a gateway."""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.utils.module_loading import import_string

from tongban.core.sms.base import BackendStatus, SmsBackend, SmsDeliveryError, SmsTemplate

__all__ = ["BackendStatus", "SmsDeliveryError", "SmsTemplate", "get_backend", "send_sms"]

# Safe as a default: outside DEBUG the console backend sends nothing, hides the parameters and
# reports itself unhealthy.
DEFAULT_BACKEND = "tongban.core.sms.backends.console.ConsoleBackend"


def get_backend() -> SmsBackend:
    """A new instance of the configured backend (the health page calls its ``check()``)."""
    backend_class = import_string(getattr(settings, "TONGBAN_SMS_BACKEND", DEFAULT_BACKEND))
    return backend_class()


def send_sms(phone: str, template: SmsTemplate, params: Mapping[str, str]) -> None:
    """Send ``template`` filled with ``params`` to the mainland mobile number ``phone``.

    Raises ``SmsDeliveryError`` when the gateway refuses or cannot be reached.
    """
    get_backend().send(phone=phone, template=template, params=params)
