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
