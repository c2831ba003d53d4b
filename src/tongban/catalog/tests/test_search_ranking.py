"""Catalogue search ranks every match in the database's full-text index, best first (issue 18)."""

import copy

import pytest
from django.urls import reverse

from tongban.catalog import selectors, services
from tongban.catalog.models import ItemSearchIndex, ServiceItem, ServiceItemVersion
from tongban.catalog.tests.factories import ItemDraftFactory
from tongban.core.search import index_tokens

# The index's own ranking and reads: the synonym table is off (catalog/tests/conftest.py).
pytestmark = pytest.mark.usefixtures("literal_search")


def publish_copies(template, *, count: int, name: str) -> list[int]:
    """`count` published copies of a published item under another name, in a few bulk queries
    (publishing each through the service would take minutes); their search rows copy the template's
    text tokens, so they match what the template matches in its text."""
    version = ServiceItemVersion.objects.get(pk=template.version_id)
    first = ServiceItem.objects.count()
    items = ServiceItem.objects.bulk_create(
        ServiceItem(
            department_id=version.item.department_id,
            basic_code="000201000100",
            implementation_code=f"COPY{first + n:08d}",
        )
        for n in range(count)
    )
    versions = []
    for item in items:
        row = copy.copy(version)
        row.pk = None
        row.item = item
        row.name = name
        versions.append(row)
    ServiceItemVersion.objects.bulk_create(versions)
    for item, row in zip(items, versions, strict=True):
        item.published_version_id = row.pk
    ServiceItem.objects.bulk_update(items, ["published_version"])
    text_tokens = ItemSearchIndex.objects.get(item_id=version.item_id).text_tokens
    ItemSearchIndex.objects.bulk_create(
        ItemSearchIndex(item=item, name=name, name_tokens=index_tokens(name), text_tokens=text_tokens)
        for item in items
    )
    return [item.pk for item in items]


def names(results):
    return [v.name for v in results.versions]


def test_best_match_published_after_hundreds_of_weaker_matches_comes_first(department, publish_item):
    # Under the old search (the first 300 matches by id, ranked in Python) the newest item was never
    # a candidate: 301 items mention 结婚 only in their text, and were published first.
    weak = publish_item(department, name="户口登记", summary="结婚后落户。")
    publish_copies(weak, count=300, name="户口登记")
    best = publish_item(department, name="内地居民结婚登记")
    assert ServiceItem.objects.filter(pk__lt=best.item_id).count() == 301

    results = selectors.search_published("结婚")

    assert results.versions[0].item_id == best.item_id
    assert len(results.hits) == selectors.SEARCH_LIMIT
    assert results.has_more is True


def test_more_matches_than_a_page_shows_say_so(client, department, publish_item, monkeypatch):
    monkeypatch.setattr(selectors, "SEARCH_LIMIT", 3)
    template = publish_item(department)
    publish_copies(template, count=3, name="个体工商户营业执照变更")

    response = client.get(reverse("catalog:search"), {"q": "营业执照"})

    body = response.content.decode()
    assert len(response.context["page"].object_list) == 3
    assert "超过 3 项" in body
    assert "共 3 项" not in body


def test_exactly_the_limit_of_matches_shows_the_count(client, department, publish_item, monkeypatch):
    monkeypatch.setattr(selectors, "SEARCH_LIMIT", 3)
    template = publish_item(department)
    publish_copies(template, count=2, name="个体工商户营业执照变更")

    body = client.get(reverse("catalog:search"), {"q": "营业执照"}).content.decode()

    assert "共 3 项" in body
    assert "超过" not in body


def test_a_word_in_the_name_ranks_above_the_same_word_in_the_text(department, publish_item):
    publish_item(department, name="户口迁移", summary="办理营业执照后迁移户口。")
    publish_item(department, name="个体工商户营业执照核发")
    assert names(selectors.search_published("营业执照")) == ["个体工商户营业执照核发", "户口迁移"]


def test_among_equal_matches_the_shorter_name_comes_first(department, publish_item):
    publish_item(department, name="个体工商户营业执照变更登记")
    publish_item(department, name="个体工商户营业执照核发")
    assert names(selectors.search_published("营业执照")) == [
        "个体工商户营业执照核发",
        "个体工商户营业执照变更登记",
    ]


def test_an_item_naming_more_of_the_words_ranks_first(department, publish_item):
    publish_item(department, name="结婚登记", summary="办理户口迁移。")
    publish_item(department, name="户口迁移登记", summary="结婚后办理。")
    publish_item(department, name="结婚户口迁移登记")
    results = selectors.search_published("结婚 户口迁移")
    assert results.words == ["结婚", "户口", "迁移"]
    # Three words in the name, then two (though longer), then one.
    assert names(results) == ["结婚户口迁移登记", "户口迁移登记", "结婚登记"]


def test_among_equal_names_the_older_item_comes_first(department, publish_item):
    first = publish_item(department, name="个体工商户营业执照核发")
    second = publish_item(department, name="个体工商户营业执照变更")
    assert [v.item_id for v in selectors.search_published("营业执照").versions] == [
        first.item_id,
        second.item_id,
    ]


def test_a_renamed_item_takes_its_new_place_in_the_order(department, publish_item):
    long_name = publish_item(department, name="个体工商户营业执照核发（经营者）")
    publish_item(department, name="个体工商户营业执照变更")
    draft = services.start_draft(item_id=long_name.item_id, actor_id=None)
    services.save_draft(
        version_id=draft.version_id, draft=ItemDraftFactory(name="营业执照核发"), actor_id=None
    )
    services.publish_version(version_id=draft.version_id, actor_id=None)
    assert names(selectors.search_published("营业执照")) == ["营业执照核发", "个体工商户营业执照变更"]


def test_a_name_holding_the_word_as_typed_ranks_above_one_holding_its_parts(department, publish_item):
    publish_item(department, name="单位社保登记")
    publish_item(department, name="补办社会保障卡（社保卡）")
    assert names(selectors.search_published("社保卡")) == ["补办社会保障卡（社保卡）", "单位社保登记"]


def test_a_word_matches_an_item_holding_all_of_its_sub_words(department, publish_item):
    # jieba may not produce 结婚登记 from the item's text, but 结婚 and 登记 are there.
    publish_item(department, name="婚姻事务", summary="双方到场登记，办理结婚手续。")
    assert names(selectors.search_published("结婚登记")) == ["婚姻事务"]


def test_when_no_item_holds_every_word_items_holding_more_words_come_first(department, publish_item):
    publish_item(department, name="护照签发", summary="出入境证件。")
    publish_item(department, name="护照补发", summary="出入境证件遗失补办，营业执照无关。")
    results = selectors.search_published("护照 遗失 火星")
    assert names(results) == ["护照补发", "护照签发"]


def test_a_new_published_version_replaces_the_old_name_in_the_index(department, publish_item):
    first = publish_item(department, name="内地居民结婚登记")
    draft = services.start_draft(item_id=first.item_id, actor_id=None)
    services.save_draft(
        version_id=draft.version_id, draft=ItemDraftFactory(name="涉外婚姻登记"), actor_id=None
    )
    services.publish_version(version_id=draft.version_id, actor_id=None)

    assert names(selectors.search_published("涉外")) == ["涉外婚姻登记"]
    assert names(selectors.search_published("内地居民")) == []


def test_a_deleted_item_leaves_the_index(department, publish_item):
    ref = publish_item(department, name="内地居民结婚登记")
    ItemSearchIndex.objects.filter(item_id=ref.item_id).delete()
    assert selectors.search_published("结婚").hits[:] == []


@pytest.mark.parametrize("query", ['"结婚"', '结婚"', "name_tokens:结婚", "结婚*", "(结婚", "^结婚 -"])
def test_full_text_syntax_in_a_query_is_only_text(department, publish_item, query):
    publish_item(department, name="护照签发")
    publish_item(department, name="内地居民结婚登记")
    assert names(selectors.search_published(query)) == ["内地居民结婚登记"]
