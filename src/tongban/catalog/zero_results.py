"""Searches that found nothing, counted by their normalised text, for catalog staff to grow the
synonym table from real queries. Nothing about who searched is kept, and a query that looks like
personal data (an ID card number, a phone number, any long run of digits, an e-mail address) is not
stored at all."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from tongban.catalog.models import ZeroResultQuery
from tongban.catalog.synonyms import normalise

QUERY_MAX = 100
SHOWN = 50
# 身份证 (15 or 18 characters, the last may be X), mobile and landline numbers, bank cards: any run of
# 7 or more digits (spaces and dashes inside ignored); and e-mail addresses.
_PERSONAL = (re.compile(r"\d{7,}"), re.compile(r"\d{6,}x"), re.compile(r"\S+@\S+"))


def looks_personal(text: str) -> bool:
    compact = re.sub(r"[\s\-－_.]", "", text.lower())
    return any(p.search(compact) for p in _PERSONAL) or bool(_PERSONAL[2].search(text))


def log_zero_result(query: str) -> bool:
    """Count one search that found nothing; False when nothing was stored (empty or personal)."""
    text = normalise(query)[:QUERY_MAX]
    if not text or looks_personal(text):
        return False
    now = timezone.now()
    if ZeroResultQuery.objects.filter(query=text).update(count=F("count") + 1, last_seen=now):
        return True
    try:
        with transaction.atomic():
            ZeroResultQuery.objects.create(query=text)
    except IntegrityError:
        # Another request created it first: count this one on its row.
        ZeroResultQuery.objects.filter(query=text).update(count=F("count") + 1, last_seen=now)
    return True


def top_zero_results(limit: int = SHOWN) -> list[ZeroResultQuery]:
    """The most frequent queries without results (the index serves this order)."""
    return list(ZeroResultQuery.objects.order_by("-count", "query")[:limit])
