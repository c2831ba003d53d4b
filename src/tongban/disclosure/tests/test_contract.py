"""What 依申请公开 receives (CONTRACT.md): ``proactive_report_counts`` and ``search_published``."""

import datetime as dt

import pytest
import time_machine

from tongban.disclosure import services
from tongban.disclosure.models import DisclosureItem
from tongban.disclosure.selectors import proactive_report_counts, search_published
from tongban.disclosure.tests.helpers import city, draft, published, secrecy_ok, submit
from tongban.disclosure.types import ProactiveCounts, PublishedItemRef

pytestmark = pytest.mark.django_db


def test_proactive_report_counts_of_a_year():
    c = city()
    with time_machine.travel(dt.datetime(2026, 5, 6, 9, tzinfo=dt.UTC), tick=False):
        regulation = published(c, policy_kind="regulation", title="规章一")
        published(c, policy_kind="normative", title="规范性文件一")
        published(c, category="planning", policy_kind="", title="五年规划")
        draft(c, title="未发布的草稿")
        services.set_validity(
            item_id=regulation, user_id=c.approver.id, validity="repealed", changed_on=dt.date(2026, 5, 6)
        )
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC), tick=False):
        services.revise_item(item_id=regulation, user_id=c.editor.id)
        submit(c, regulation)
        secrecy_ok(c, regulation)
        services.publish_item(item_id=regulation, user_id=c.approver.id)
    counts = proactive_report_counts(department_ids=[c.market.pk], year=2026)
    assert counts == ProactiveCounts(
        published=3,
        updated=1,
        withdrawn=1,
        by_category={
            "机构职能": 0,
            "政策文件": 2,
            "规划计划": 1,
            "财政预决算": 0,
            "人事信息": 0,
            "政务服务": 0,
            "重点领域": 0,
            "其他": 0,
        },
        regulations=1,
        normative_documents=1,
    )
    assert proactive_report_counts(department_ids=None, year=2026).published == 3
    assert proactive_report_counts(department_ids=[c.other.pk], year=2026).published == 0
    assert proactive_report_counts(department_ids=None, year=2025).published == 0


def test_search_published_finds_published_items_only():
    c = city()
    with time_machine.travel(dt.datetime(2026, 5, 6, 9, tzinfo=dt.UTC), tick=False):
        item_id = published(c, title="关于开展食品安全专项检查的通知")
        draft(c, title="关于食品安全抽检的草稿")
    found = search_published("食品安全", limit=10)
    item = DisclosureItem.objects.get(pk=item_id)
    assert found == [
        PublishedItemRef(
            id=item_id,
            index_number=item.index_number,
            title="关于开展食品安全专项检查的通知",
            url=f"/disclosure/items/{item_id}/",
            department_id=c.market.pk,
            published_on=dt.date(2026, 5, 6),
        )
    ]
    assert search_published("食品安全", department_id=c.other.pk) == []
    assert search_published("") == []
    assert search_published("食品安全", limit=0) == []
