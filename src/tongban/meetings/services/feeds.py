"""日程订阅: a person's private iCalendar URL. The token is random (secrets), one per person; renewing
makes a new one (the old URL stops working), stopping deletes it."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction

from tongban.meetings.models import CalendarFeed


def feed_token(user_id: int) -> str:
    """The person's subscription token, made on first use."""
    feed = CalendarFeed.objects.filter(user_id=user_id).first()
    if feed is not None:
        return feed.token
    try:
        with transaction.atomic():
            return CalendarFeed.objects.create(user_id=user_id, token=secrets.token_urlsafe(32)).token
    except IntegrityError:  # a concurrent first use made it
        return CalendarFeed.objects.get(user_id=user_id).token


@transaction.atomic
def renew_feed(*, user_id: int) -> str:
    CalendarFeed.objects.filter(user_id=user_id).delete()
    return CalendarFeed.objects.create(user_id=user_id, token=secrets.token_urlsafe(32)).token


@transaction.atomic
def stop_feed(*, user_id: int) -> None:
    CalendarFeed.objects.filter(user_id=user_id).delete()
