"""The annual report's 第二部分 and the 已公开 answer's link come from the 主动公开 catalogue."""

import datetime as dt

import pytest
import time_machine

from tongban.disclosure.tests.helpers import city, draft, published
from tongban.disclosure_requests import selectors

pytestmark = pytest.mark.django_db


def test_part_two_counts_the_departments_published_items_of_the_year():
    c = city()
    with time_machine.travel(dt.datetime(2026, 5, 6, 9, tzinfo=dt.UTC), tick=False):
        published(c, policy_kind="normative", title="云州市食品摊贩管理办法")
        draft(c, title="未发布的草稿")
    counts = selectors.proactive_counts(department_ids=[c.market.pk], year=2026)
    assert (counts.published, counts.normative_documents) == (1, 1)
    assert selectors.proactive_counts(department_ids=[c.other.pk], year=2026).published == 0


def test_an_already_published_answer_finds_the_catalogue_item():
    c = city()
    with time_machine.travel(dt.datetime(2026, 5, 6, 9, tzinfo=dt.UTC), tick=False):
        published(c, title="云州市食品摊贩管理办法")
    [found] = selectors.published_items("食品摊贩", department_id=c.market.pk)
    assert found.title == "云州市食品摊贩管理办法"
    assert found.url.startswith("/disclosure/items/")
    assert selectors.published_items("食品摊贩", department_id=c.other.pk) == []
