"""Replay protection for exchange writes (THREATS T-D4): an ``Idempotency-Key`` unique per client and a
request time within a window. A replayed request gets the first answer and has no second effect."""

from __future__ import annotations

import datetime as dt
import json
import re

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from tongban.sharing.errors import (
    IdempotencyKeyReusedError,
    ReplayRefusedError,
    SharingError,
    UsageLogUnavailableError,
)
from tongban.sharing.models import ExchangeRequest
from tongban.sharing.services.exchange import query_as, subject_from_identifier
from tongban.sharing.types import ExchangeAnswer, ExchangeCaller

KEY = re.compile(r"[A-Za-z0-9._:-]{8,64}")
# Answers are kept a day: a retry with the same key within it gets the first answer. Past the time
# window a replay of the same request is refused anyway (its timestamp is too old).
KEPT_FOR = dt.timedelta(hours=24)


def check_request_time(timestamp: str, *, now: dt.datetime | None = None) -> None:
    """Refuse a request whose ``X-Timestamp`` (Unix seconds) is missing or further than
    ``TONGBAN_EXCHANGE_REPLAY_WINDOW_SECONDS`` from the server's clock, either way. Raises ReplayRefusedError."""
    value = timestamp.strip()
    if not value.isdigit() or len(value) > 12:
        raise ReplayRefusedError(
            _("请在请求头 X-Timestamp 中提供请求时间（Unix 时间戳，单位秒）"), code="timestamp_required"
        )
    window = settings.TONGBAN_EXCHANGE_REPLAY_WINDOW_SECONDS
    skew = abs((now or timezone.now()).timestamp() - int(value))
    if skew > window:
        raise ReplayRefusedError(
            _("请求时间与服务器时间相差超过 %(seconds)s 秒，请求已拒绝（防重放）") % {"seconds": window},
            code="stale_request",
        )


def _fingerprint(values: dict[str, str]) -> str:
    canonical = json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return salted_hmac("tongban.sharing.exchange-request", canonical, algorithm="sha256").hexdigest()


def _claim(*, client_id: int, key: str, fingerprint: str) -> int | None:
    """Insert the key's row and return its id, or None when another request holds the key. One
    statement (``ON CONFLICT DO NOTHING``) instead of a savepoint around an insert that may fail; on
    PostgreSQL it waits for a concurrent holder to commit or roll back, as a plain insert would."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO sharing_exchangerequest (client_id, key, fingerprint, received_at, status, answer) "
            "VALUES (%s, %s, %s, %s, 0, %s) ON CONFLICT (client_id, key) DO NOTHING RETURNING id",
            [client_id, key, fingerprint, timezone.now(), "{}"],
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def query_resource_once(
    *,
    caller: ExchangeCaller,
    idempotency_key: str,
    timestamp: str,
    resource_code: str,
    subject_identifier: str,
    purpose: str,
    case_ref: str,
) -> ExchangeAnswer:
    """An exchange query (``query_resource``, which writes a usage-log row) at most once per key.

    Rules: the ``Idempotency-Key`` is 8–64 of ``A–Z a–z 0–9 . _ : -`` and unique per client; the request
    time is within the window (``check_request_time``). The same key with the same request returns the
    first answer, refusals included, with no second query and no second log row; with another request
    it is refused (409). The key is claimed and the answer stored in the query's transaction, so two
    copies sent at once give one effect. A 503 (usage log unavailable) is not kept: the client may
    retry with the same key. Raises ReplayRefusedError, IdempotencyKeyReusedError,
    UsageLogUnavailableError.
    """
    key = idempotency_key.strip()
    if not KEY.fullmatch(key):
        raise ReplayRefusedError(
            _("请在请求头 Idempotency-Key 中提供本次请求的唯一标识（8 至 64 位字母、数字或 ._:-）"),
            code="idempotency_key_required",
        )
    check_request_time(timestamp)
    fingerprint = _fingerprint(
        {"resource": resource_code, "subject": subject_identifier, "purpose": purpose, "case_ref": case_ref}
    )
    with transaction.atomic():
        record_id = _claim(client_id=caller.client_id, key=key, fingerprint=fingerprint)
        if record_id is None:
            first = ExchangeRequest.objects.get(client_id=caller.client_id, key=key)
            if first.fingerprint != fingerprint:
                raise IdempotencyKeyReusedError(
                    _("该 Idempotency-Key 已用于另一个请求，请为新请求使用新的标识"),
                    code="idempotency_key_reused",
                ) from None
            return ExchangeAnswer(status=first.status, body=first.answer, replayed=True)
        body: dict[str, object]
        try:
            shared = query_as(
                rolls_back_on_log_failure=True,  # re-raised below, out of this transaction
                caller=caller,
                resource_code=resource_code,
                subject=subject_from_identifier(subject_identifier),
                purpose=purpose,
                case_ref=case_ref,
            )
        except UsageLogUnavailableError:
            raise
        except SharingError as error:
            status, body = (
                error.status,
                {"detail": error.message, "code": error.code, "errors": error.details},
            )
        else:
            status, body = (
                200,
                {
                    "resource": shared.resource_code,
                    "subject": shared.subject_masked,
                    "items": dict(shared.items),
                    "usage_seq": shared.usage_seq,
                },
            )
        ExchangeRequest.objects.filter(pk=record_id).update(status=status, answer=body)
    return ExchangeAnswer(status=status, body=body, replayed=False)


def purge_exchange_requests(*, now: dt.datetime | None = None) -> int:
    """Delete stored answers older than KEPT_FOR (they hold shared personal data, T-M4). Returns how
    many; safe to run twice."""
    deleted, _rows = ExchangeRequest.objects.filter(
        received_at__lt=(now or timezone.now()) - KEPT_FOR
    ).delete()
    return deleted
