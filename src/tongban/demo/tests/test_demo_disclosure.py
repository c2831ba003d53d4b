"""The demo city's 政府信息公开目录: nine items in each of eight departments, in every state, with a
guide per department; loaded once."""

import datetime as dt
from collections import Counter

import pytest
import time_machine
from django.test import override_settings

from tongban.demo.disclosure import load_disclosure
from tongban.demo.loader import load_accounts, load_organizations
from tongban.disclosure import selectors
from tongban.disclosure.models import DisclosureGuide, DisclosureItem, QuarterlyReview

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_demo_disclosure_catalogue_is_realistic_and_loads_once():
    with time_machine.travel(dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC), tick=False):
        departments, _halls = load_organizations()
        load_accounts(departments)
        assert load_disclosure() == 72
        assert load_disclosure() == 0
        today = dt.date(2026, 12, 7)
        statuses = Counter(DisclosureItem.objects.values_list("status", flat=True))
        assert statuses == {"published": 68, "in_review": 3, "draft": 1}
        assert DisclosureItem.objects.values("department_id").distinct().count() == 8
        assert DisclosureItem.objects.filter(validity="repealed").count() == 8
        assert DisclosureGuide.objects.count() == 8
        assert QuarterlyReview.objects.count() == 1
        late = [
            i.title
            for i in DisclosureItem.objects.filter(status="published")
            if i.published_on > selectors.due_date(i.changed_on)
        ]
        assert sorted(late) == ["市住建局2026年部门预算公开", "市市场监管局2026年部门预算公开"]
        overdue = DisclosureItem.objects.filter(
            status="in_review", changed_on__lte=selectors.overdue_cutoff(today)
        )
        assert overdue.count() == 2
        assert {i.published_on.year for i in DisclosureItem.objects.filter(status="published")} == {2026}
        assert len(selectors.search_published("部门预算", limit=20)) == 8
