"""并单: the likely duplicates of an order (token similarity, region and address, last 30 days) and
the merge, after which the duplicate's requester reads the master's reply."""

import datetime as dt

import pytest

from tongban.hotline import selectors, services
from tongban.hotline.errors import HotlineError, HotlineStateError
from tongban.hotline.models import State
from tongban.hotline.tests.helpers import MONDAY, closed, order, submit
from tongban.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _others(c):
    submit(
        c,
        key="noise1",
        title="学校收费",
        text="锦江区某小学违规收取补课费，每人五百元。",
        address="学府路1号",
    )
    submit(
        c,
        key="noise2",
        title="路灯不亮",
        text="青山区桃源路的路灯坏了一个月没人修。",
        region=c.qingshan,
        address="桃源路",
    )
    submit(
        c,
        key="near",
        title="超市食品问题",
        text="东湖路有家超市卖的面包发霉了，希望管一管。",
        address="",
    )


def test_the_real_duplicate_ranks_first(c):
    _others(c)
    master = submit(c, key="master", now=MONDAY)
    duplicate = submit(
        c,
        key="dup",
        title="东湖路35号超市卖过期牛奶",
        text="东湖路35号的超市还在卖过期牛奶，我昨天买的牛奶已经过期了，请查处这家超市。",
        now=MONDAY + dt.timedelta(days=2),
    )
    found = selectors.likely_duplicates(order(duplicate))
    assert found[0].order.pk == master
    assert found[0].score > found[1].score if len(found) > 1 else True


def test_orders_older_than_30_days_are_not_suggested(c):
    old = submit(c, key="old", now=MONDAY - dt.timedelta(days=31))
    new = submit(c, key="new", now=MONDAY)
    assert [d.order.pk for d in selectors.likely_duplicates(order(new))] == []
    assert old


def test_merge_tells_the_requester_and_shows_the_masters_reply(c):
    duplicate = submit(c, key="dup")
    master = closed(c, key="master")
    services.merge(order_id=duplicate, master_id=master, user_id=c.dispatcher.id)
    d = order(duplicate)
    assert (d.state, d.merged_into_id) == (State.MERGED, master)
    assert Notification.objects.filter(recipient_id=c.citizen.id, title__contains="并单").count() == 1
    assert selectors.answer_of(d).pk == master
    with pytest.raises(HotlineStateError):
        services.merge(order_id=duplicate, master_id=master, user_id=c.dispatcher.id)


def test_merge_refusals_change_nothing(c):
    first = submit(c, key="a")
    with pytest.raises(HotlineError):
        services.merge(order_id=first, master_id=first, user_id=c.dispatcher.id)
    second = submit(c, key="b")
    with pytest.raises(HotlineError):
        services.merge(order_id=first, master_id=second, user_id=c.jinjiang_handler.id)
    assert order(first).state == State.SUBMITTED
