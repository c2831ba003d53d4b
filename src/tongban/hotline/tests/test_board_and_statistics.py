"""The public board (consent, closing, masking) and the statistics' exact values; training examples."""

import datetime as dt

import pytest

from tongban.hotline import selectors, services
from tongban.hotline.tests.helpers import MONDAY, closed, dispatched, handling, submit

pytestmark = pytest.mark.django_db

PERSONAL = "我叫李四，电话13800000011，身份证号110101199003074573，东湖路35号超市卖过期牛奶。"


def test_the_board_shows_consented_closed_orders_masked(c):
    published = closed(c, key="yes", text=PERSONAL, publish_consent=True)
    closed(c, key="no", text="不同意公开的诉求", publish_consent=False)
    handling(c, key="open", text="尚未办结的诉求", publish_consent=True)
    entries, total = selectors.board()
    assert total == 1
    [entry] = entries
    assert entry.number.endswith("0001")
    assert published
    assert "13800000011" not in entry.content
    assert "110101199003074573" not in entry.content
    assert "李四" not in entry.content
    assert entry.requester == "李*"
    assert "138****0011" in entry.content


def test_the_board_filters_by_category(c):
    closed(c, key="a")
    assert selectors.board(category_code="market")[1] == 1
    assert selectors.board(category_code="education")[1] == 0


def test_a_confidential_order_never_reaches_the_board(c):
    order_id = closed(c, key="a")
    from tongban.hotline.models import WorkOrder

    WorkOrder.objects.filter(pk=order_id).update(confidential=True)
    assert selectors.board()[1] == 0


def test_statistics_exact_values(c):
    # 1: signed in an hour, replied on time, rated 满意.
    first = closed(c, key="a")
    services.rate(order_id=first, requester_id=c.citizen.id, satisfaction="satisfied")
    # 2: signed in an hour, replied on time, rated 不满意.
    second = closed(c, key="b")
    services.rate(order_id=second, requester_id=c.citizen.id, satisfaction="dissatisfied")
    # 3: signed two days late, still open and overdue at the time of the statistics.
    third = dispatched(c, key="c")
    services.sign(order_id=third, user_id=c.jinjiang_handler.id, now=MONDAY + dt.timedelta(days=2))
    # 4: dispatched to 青山区, never signed, overdue.
    dispatched(c, key="d", department=c.qingshan_market, region=c.qingshan)
    # Outside the period: not counted.
    closed(c, key="e", now=MONDAY - dt.timedelta(days=40))
    stats = selectors.statistics(
        first=dt.date(2026, 3, 1),
        last=dt.date(2026, 3, 31),
        now=dt.datetime(2026, 3, 12, 2, 0, tzinfo=dt.UTC),
    )
    rows = {r.label: r for r in stats.by_department}
    jinjiang = rows["云州市锦江区市场监督管理局"]
    assert (jinjiang.dispatched, jinjiang.signed_on_time, jinjiang.sign_rate) == (3, 2, "66.7%")
    # Closed on time 2 of 3 (two closed, one overdue).
    assert (jinjiang.due_or_closed, jinjiang.closed_on_time, jinjiang.close_rate) == (3, 2, "66.7%")
    assert (jinjiang.rated, jinjiang.satisfied, jinjiang.satisfaction_rate) == (2, 1, "50.0%")
    qingshan = rows["云州市青山区市场监督管理局"]
    assert (qingshan.dispatched, qingshan.sign_rate, qingshan.close_rate, qingshan.satisfaction_rate) == (
        1,
        "0.0%",
        "0.0%",
        "—",
    )
    assert [(r.label, r.dispatched) for r in stats.by_category] == [("市场监管", 4)]
    assert stats.total.dispatched == 4


def test_training_examples_are_the_dispatched_orders_with_their_chosen_category(c):
    submit(c, key="undispatched")
    order_id = dispatched(c, key="a", title="过期牛奶", text="超市卖过期牛奶")
    services.redispatch(
        order_id=order_id,
        user_id=c.dispatcher.id,
        choice=services.DispatchChoice(
            category_id=c.category("urban_management").pk, lead_department_id=c.city_urban.pk, note="改派"
        ),
    )
    assert list(selectors.training_examples()) == [("过期牛奶\n超市卖过期牛奶", "urban_management")]
