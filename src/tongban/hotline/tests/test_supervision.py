"""督办 on delay: the periodic task marks overdue orders once (a second run changes nothing), warns
near-due ones yellow, and tells the department's 承办人员 and the dispatchers."""

import datetime as dt

import pytest

from tongban.hotline import services, tasks
from tongban.hotline.models import OrderEvent
from tongban.hotline.tests.helpers import MONDAY, closed, dispatched, handling, order
from tongban.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_overdue_orders_are_supervised_once(c):
    overdue = handling(c, key="late")
    on_time = closed(c, key="done")
    after_due = dt.datetime(2026, 3, 12, 2, 0, tzinfo=dt.UTC)  # Thursday 12 March: due 11 March
    assert services.supervise_overdue(now=after_due) == {"red": 1, "yellow": 0}
    o = order(overdue)
    assert (o.supervised, o.warning) == (True, "red")
    assert order(on_time).supervised is False
    handler_messages = Notification.objects.filter(
        recipient_id=c.jinjiang_handler.id, title__contains="超期督办"
    ).count()
    dispatcher_messages = Notification.objects.filter(
        recipient_id=c.dispatcher.id, title__contains="超期督办"
    ).count()
    assert (handler_messages, dispatcher_messages) == (1, 1)
    assert services.supervise_overdue(now=after_due) == {"red": 0, "yellow": 0}
    assert OrderEvent.objects.filter(order_id=overdue, action="overdue_supervised").count() == 1
    assert (
        Notification.objects.filter(recipient_id=c.jinjiang_handler.id, title__contains="超期督办").count()
        == 1
    )


def test_near_due_orders_get_a_yellow_warning(c):
    order_id = dispatched(c)
    tuesday_before_due = dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC)  # 6 of 7 working days used
    assert services.supervise_overdue(now=tuesday_before_due) == {"red": 0, "yellow": 1}
    assert order(order_id).warning == "yellow"
    assert order(order_id).supervised is False
    assert services.supervise_overdue(now=tuesday_before_due) == {"red": 0, "yellow": 0}


def test_the_celery_task_runs_the_service(c, time_machine):
    handling(c)
    time_machine.move_to(dt.datetime(2026, 3, 13, 2, 0, tzinfo=dt.UTC))
    assert tasks.supervise_overdue() == {"red": 1, "yellow": 0}
    assert tasks.supervise_overdue() == {"red": 0, "yellow": 0}
    assert MONDAY


def test_the_supervision_board_card_lists_overdue_orders_in_scope(c):
    from conftest import make_staff
    from django.test import Client
    from django.urls import reverse

    from tongban.accounts.tests.helpers import login_staff
    from tongban.hotline.selectors import supervision_section
    from tongban.supervision.selectors import SUPERVISOR

    late = handling(c, title="逾期未办的工单")
    closed(c, key="done")
    section = supervision_section(department_ids={c.jinjiang_market.pk}, today=dt.date(2026, 3, 12))
    assert [o.pk for o in section.rows] == [late]
    assert supervision_section(department_ids={c.qingshan_market.pk}, today=dt.date(2026, 3, 12)).rows == []
    assert supervision_section(department_ids=None, today=dt.date(2026, 3, 11)).rows == []
    supervisor = make_staff("jiancha", c.jinjiang_market, SUPERVISOR)
    client = Client()
    login_staff(client, supervisor)
    assert "12345工单超期" in client.get(reverse("supervision:board")).content.decode()
