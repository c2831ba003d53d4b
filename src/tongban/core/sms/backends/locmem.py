"""Test backend: messages are kept in ``outbox`` (like ``django.core.mail.outbox``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from tongban.core.sms.base import BackendStatus, SmsTemplate


@dataclass(frozen=True)
class SentSms:
    phone: str
    template: str
    params: dict[str, str] = field(default_factory=dict)
    text: str = ""


outbox: list[SentSms] = []


class LocmemBackend:
    def send(self, *, phone: str, template: SmsTemplate, params: Mapping[str, str]) -> None:
        outbox.append(
            SentSms(
                phone=phone, template=template.name, params=dict(params), text=str(template.text) % params
            )
        )

    def check(self) -> BackendStatus:
        return BackendStatus(ok=True, detail="locmem: messages are kept in memory")
