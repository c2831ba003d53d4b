"""督办 under concurrency (PostgreSQL): officers opening items at once get consecutive numbers; two
reviews of one 办结 request: one wins, the other is refused and changes nothing."""

import pytest
from django.db import connection

from tongban.core.tests.concurrency import at_once
from tongban.tracking import services
from tongban.tracking.errors import TrackingStateError
from tongban.tracking.models import ItemEvent, TrackingItem
from tongban.tracking.tests.helpers import city, closing, opened

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent PostgreSQL connections"),
    pytest.mark.django_db(transaction=True),
]


def test_concurrent_items_get_distinct_consecutive_numbers():
    c = city()
    failures = at_once([lambda k=k: opened(c, title=f"事项{k}") for k in range(5)])
    assert failures == []
    numbers = sorted(TrackingItem.objects.values_list("number", flat=True))
    assert numbers == sorted(f"督〔2026〕{k}号" for k in range(1, 6))


def test_two_reviews_at_once_one_wins_the_other_is_a_conflict():
    c = city()
    item_id = closing(c)

    def approve() -> None:
        services.review_closing(item_id=item_id, user_id=c.officer.id, approve=True, note="")

    def send_back() -> None:
        services.review_closing(item_id=item_id, user_id=c.officer.id, approve=False, note="请补充材料")

    failures = at_once([approve, send_back])
    assert [type(f) for f in failures] == [TrackingStateError]
    item = TrackingItem.objects.get(pk=item_id)
    assert item.status in ("closed", "in_progress")
    reviews = list(
        ItemEvent.objects.filter(item=item, action__in=("closed", "returned")).values_list(
            "action", flat=True
        )
    )
    assert reviews == ["closed" if item.status == "closed" else "returned"]
