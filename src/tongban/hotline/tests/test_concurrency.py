"""12345 under concurrency (PostgreSQL): submissions at once get consecutive numbers from the locked
day counter; two 签收 of one order at once: one wins, the other is a conflict and changes nothing."""

import pytest
from django.db import connection

from tongban.core.tests.concurrency import at_once
from tongban.hotline import services
from tongban.hotline.errors import HotlineStateError
from tongban.hotline.models import OrderEvent, WorkOrder
from tongban.hotline.tests.helpers import dispatched, make_city, submit

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent PostgreSQL connections"),
    pytest.mark.django_db(transaction=True),
]


def test_concurrent_submissions_get_consecutive_numbers():
    c = make_city()
    failures = at_once([lambda k=k: submit(c, key=f"k{k}") for k in range(5)])
    assert failures == []
    assert sorted(WorkOrder.objects.values_list("number", flat=True)) == [
        f"12345-20260302-{k:04d}" for k in range(1, 6)
    ]


def test_two_signs_at_once_one_wins_the_other_is_a_conflict():
    c = make_city()
    order_id = dispatched(c)

    def sign() -> None:
        services.sign(order_id=order_id, user_id=c.jinjiang_handler.id)

    failures = at_once([sign, sign])
    assert [type(f) for f in failures] == [HotlineStateError]
    assert OrderEvent.objects.filter(order_id=order_id, action="signed").count() == 1
