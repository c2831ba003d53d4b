"""The e-supervision board shows overdue 督办事项 of the supervisor's departments (yellow and red by
core.deadlines, the supervision rule)."""

import datetime as dt

import pytest
from conftest import make_staff
from django.test import Client
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.core.deadlines import Level
from tongban.supervision.selectors import SUPERVISOR
from tongban.tracking.models import TrackingItem
from tongban.tracking.selectors import level_of, supervision_section
from tongban.tracking.tests.helpers import MONDAY, city, in_progress

pytestmark = pytest.mark.django_db


def test_levels_follow_the_supervision_rule(settings):
    settings.TONGBAN_WARNING_PERCENT = 80
    c = city()
    item = TrackingItem.objects.get(pk=in_progress(c))  # 2 March, 20 working days: due 30 March
    assert level_of(item, dt.date(2026, 3, 20)) == Level.NORMAL  # 14 of 20 used
    assert level_of(item, dt.date(2026, 3, 26)) == Level.YELLOW  # 18 of 20
    assert level_of(item, dt.date(2026, 3, 31)) == Level.RED
    item.status = "closed"
    assert level_of(item, dt.date(2026, 3, 31)) == Level.NORMAL


def test_the_supervision_board_card_lists_overdue_items_in_scope():
    c = city()
    in_progress(c, title="逾期的改造任务", now=MONDAY)
    section = supervision_section(department_ids={c.lead.pk}, today=dt.date(2026, 4, 2))
    assert [(r.item.title, r.overdue_days) for r in section.rows] == [("逾期的改造任务", 3)]
    assert supervision_section(department_ids={c.assisting.pk}, today=dt.date(2026, 4, 2)).rows == []
    supervisor = make_staff("jiancha", c.lead, SUPERVISOR)
    client = Client()
    login_staff(client, supervisor)
    assert "逾期的改造任务" in client.get(reverse("supervision:board")).content.decode()
