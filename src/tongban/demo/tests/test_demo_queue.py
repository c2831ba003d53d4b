"""The demo city's queue at the city hall today: loaded twice, taken once."""

import pytest
from django.test import override_settings

from tongban.demo.loader import LoadReport, load_accounts, load_items, load_organizations, load_themes
from tongban.demo.queueing import load_queue
from tongban.queueing.models import QueueTicket

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_demo_queue_has_walk_ins_and_one_called_number():
    departments, halls = load_organizations()
    load_themes()
    load_items(departments, halls, LoadReport(departments=len(departments), halls=len(halls)))
    load_accounts(departments)
    assert load_queue() == 4
    assert load_queue() == 0
    tickets = list(QueueTicket.objects.order_by("number").values_list("number", "status", "window__number"))
    assert tickets == [
        ("A001", "called", "B01"),
        ("A002", "waiting", None),
        ("A003", "waiting", None),
        ("A004", "waiting", None),
    ]
