"""Development backend: the message goes to the log (logger ``tongban.sms``, level INFO), nothing is sent.

In DEBUG the whole text is logged, one-time codes included, so that a developer can log in. Outside
DEBUG this backend is a misconfiguration: it logs the template name only, never the parameters (a code
in a production log is a credential in a log, T-M2), and ``check()`` reports it unhealthy.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from django.conf import settings

from tongban.core.sms.base import BackendStatus, SmsTemplate
from tongban.core.sms.masking import mask_phone

logger = logging.getLogger("tongban.sms")


class ConsoleBackend:
    def send(self, *, phone: str, template: SmsTemplate, params: Mapping[str, str]) -> None:
        if settings.DEBUG:
            logger.info("SMS to %s [%s]: %s", mask_phone(phone), template.name, str(template.text) % params)
        else:
            logger.warning(
                "SMS to %s [%s] not sent: the console backend sends nothing outside DEBUG",
                mask_phone(phone),
                template.name,
            )

    def check(self) -> BackendStatus:
        if settings.DEBUG:
            return BackendStatus(ok=True, detail="console: messages are written to the log")
        return BackendStatus(ok=False, detail="console backend outside DEBUG: no message is delivered")
