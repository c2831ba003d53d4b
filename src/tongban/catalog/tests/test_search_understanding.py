"""Search that understands people (issue 19): synonyms, zero-result log, did-you-mean, pinyin."""

import dataclasses

import pytest
from conftest import make_staff
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.catalog import selectors, services, synonyms
from tongban.catalog.models import SearchSynonym, ServiceItemVersion, ZeroResultQuery
from tongban.core.models import AuditEvent


@pytest.fixture
def catalogue(department, publish_item):
    """A restaurant's licence, and an item whose text mentions 饭店 (what 我要开饭店 found before)."""
    SearchSynonym.objects.all().delete()  # this module's own table, not the seeded one
    selectors.forget_search_caches()
    return {
        "food": publish_item(department, name="食品经营许可", summary="从事餐饮服务的经营者申请。"),
        "sewage": publish_item(department, name="城镇污水排入排水管网许可", summary="饭店、医院等排放污水。"),
        "marriage": publish_item(department, name="内地居民结婚登记", summary="男女双方自愿结婚。"),
        "shop": publish_item(department, name="个体工商户营业执照核发", summary="个人经营。"),
    }


def names(query):
    return [v.name for v in selectors.search_published(query).versions]


def add(editor, term, expansions=(), items=(), kind="colloquial"):
    return synonyms.save_synonym(
        actor_id=editor.id,
        data=synonyms.SynonymInput(
            term=term, kind=kind, expansions=tuple(expansions), item_names=tuple(items)
        ),
    )


def test_without_a_synonym_the_colloquial_phrase_finds_the_wrong_item(catalogue):
    assert names("我要开饭店")[0] == "城镇污水排入排水管网许可"


def test_a_synonym_is_applied_at_query_time(catalogue, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        add(editor, "开饭店", ["食品经营许可"])
    found = selectors.search_published("我要开饭店")
    assert found.versions[0].name == "食品经营许可"
    assert found.applied == ("开饭店",)


def test_an_item_named_by_a_synonym_comes_first(catalogue, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        add(editor, "开饭店", ["食品经营许可"], items=["个体工商户营业执照核发"])
    assert names("我要开饭店")[:2] == ["个体工商户营业执照核发", "食品经营许可"]


def test_a_deactivated_synonym_is_not_applied(catalogue, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        synonym_id = add(editor, "开饭店", ["食品经营许可"])
    assert names("我要开饭店")[0] == "食品经营许可"
    # The committed change renews every process's table (the generation in the cache), no reload by hand.
    with django_capture_on_commit_callbacks(execute=True):
        synonyms.set_active(actor_id=editor.id, synonym_id=synonym_id, active=False)
    assert names("我要开饭店")[0] == "城镇污水排入排水管网许可"
    assert AuditEvent.objects.filter(event="search_synonym_deactivated", object_id=str(synonym_id)).exists()


def test_the_synonym_table_is_not_read_per_query(catalogue, editor, django_assert_max_num_queries):
    synonyms.table()
    with django_assert_max_num_queries(0):
        synonyms.matching("我要开饭店")


def test_only_catalog_editors_change_synonyms(catalogue, department):
    clerk = make_staff("clerk", department, role="department_admin")
    with pytest.raises(synonyms.CatalogPermissionError):
        add(clerk, "开饭店", ["食品经营许可"])


@pytest.mark.parametrize(
    ("term", "expansions", "items", "field"),
    [
        ("", ["食品经营许可"], [], "term"),
        ("开饭店", [], [], "expansions"),
        ("开饭店", ["开饭店"], [], "expansions"),
        ("开饭店", [], ["没有这个事项"], "items"),
    ],
)
def test_a_synonym_is_refused_with_the_field_at_fault(catalogue, editor, term, expansions, items, field):
    with pytest.raises(synonyms.SynonymError) as refused:
        add(editor, term, expansions, items)
    assert refused.value.field == field


def test_a_zero_result_query_is_logged_once_with_its_count(client, catalogue):
    for _ in range(2):
        response = client.get(reverse("catalog:search"), {"q": "火星移民"})
        assert "没有找到相关事项" in response.content.decode()
    row = ZeroResultQuery.objects.get()
    assert (row.query, row.count) == ("火星移民", 2)
    assert row.last_seen >= row.first_seen


@pytest.mark.parametrize(
    "query", ["110101199003071234", "11010119900307123X", "13812345678", "我的电话 138-1234-5678"]
)
def test_a_query_that_looks_like_personal_data_is_not_logged(client, catalogue, query):
    client.get(reverse("catalog:search"), {"q": query})
    assert not ZeroResultQuery.objects.exists()


def test_a_search_with_results_is_not_logged(client, catalogue):
    client.get(reverse("catalog:search"), {"q": "结婚登记"})
    assert not ZeroResultQuery.objects.exists()


def test_did_you_mean_offers_the_nearby_name(client, catalogue):
    results = selectors.search_published("结昏登记")
    assert results.suggestion == "结婚登记"
    assert results.versions[0].name == "内地居民结婚登记"
    body = client.get(reverse("catalog:search"), {"q": "结昏登记"}).content.decode()
    assert "您是不是要找" in body
    assert "结婚登记" in body


def test_no_did_you_mean_when_the_query_is_found(catalogue):
    assert selectors.search_published("结婚登记").suggestion is None


def test_pinyin_initials_find_the_item(catalogue):
    assert names("jhdj")[0] == "内地居民结婚登记"
    assert names("jiehundengji")[0] == "内地居民结婚登记"
    assert names("JHDJ")[0] == "内地居民结婚登记"


def test_the_search_box_suggests_by_pinyin_initials(client, catalogue):
    response = client.get(reverse("catalog:suggest"), {"q": "jhdj"})
    assert response.json()["suggestions"][0]["text"] == "内地居民结婚登记"
    fragment = client.get(reverse("catalog:suggest"), {"q": "jhdj"}, HTTP_HX_REQUEST="true").content.decode()
    assert "内地居民结婚登记" in fragment


def test_a_synonym_term_is_suggested_by_its_initials(
    catalogue, editor, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add(editor, "开饭店", ["食品经营许可"])
    texts = [s["text"] for s in client.get(reverse("catalog:suggest"), {"q": "kfd"}).json()["suggestions"]]
    assert "开饭店" in texts
    assert names("kfd")[0] == "食品经营许可"


def test_a_renamed_item_is_found_by_its_new_pinyin(department, catalogue, editor):
    item_id = catalogue["marriage"].item_id
    draft = services.start_draft(item_id=item_id, actor_id=editor.id)
    content = services.draft_of_version(ServiceItemVersion.objects.get(pk=draft.version_id))
    services.save_draft(
        version_id=draft.version_id, draft=dataclasses.replace(content, name="结婚登记"), actor_id=editor.id
    )
    services.publish_version(version_id=draft.version_id, actor_id=editor.id)
    assert names("hdj")[0] == "结婚登记"
    assert names("ndjm") == []  # the old name's pinyin is gone


# --- the workbench page ---------------------------------------------------------------------------


@pytest.fixture
def editor_client(client, editor):
    login_staff(client, editor)
    return client


PAGE = "catalog:staff_search_terms"


def test_an_editor_adds_a_synonym_on_the_workbench(editor_client, catalogue):
    response = editor_client.post(
        reverse(PAGE),
        {"term": "开饭店", "kind": "colloquial", "expansions": "食品经营许可\n个体工商户", "items": ""},
    )
    assert response.status_code == 302
    synonym = SearchSynonym.objects.get(term="开饭店")
    assert synonym.expansions == ["食品经营许可", "个体工商户"]
    assert synonym.changed_by.username == "market_editor"
    assert AuditEvent.objects.filter(event="search_synonym_added", object_id=str(synonym.pk)).exists()
    page = editor_client.get(reverse(PAGE)).content.decode()
    assert "开饭店" in page


def test_an_error_is_shown_in_the_error_summary(editor_client, catalogue):
    response = editor_client.post(
        reverse(PAGE), {"term": "", "kind": "colloquial", "expansions": "食品经营许可"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary"' in body
    assert 'href="#id_term"' in body
    assert "请填写搜索词" in body
    assert "食品经营许可" in body  # the answers are kept


def test_an_editor_edits_and_deactivates_a_synonym(editor_client, catalogue, editor):
    synonym_id = add(editor, "开饭店", ["食品经营许可"])
    response = editor_client.post(
        reverse("catalog:staff_search_term", args=[synonym_id]),
        {
            "term": "开饭店",
            "kind": "colloquial",
            "expansions": "食品经营许可\n个体工商户",
            "items": "食品经营许可",
        },
    )
    assert response.status_code == 302
    synonym = SearchSynonym.objects.get(pk=synonym_id)
    assert synonym.expansions == ["食品经营许可", "个体工商户"]
    assert [i.pk for i in synonym.items.all()] == [catalogue["food"].item_id]
    editor_client.post(reverse(PAGE), {"synonym": synonym_id, "active": "0"})
    assert not SearchSynonym.objects.get(pk=synonym_id).is_active


def test_zero_result_queries_are_listed_with_a_link_to_add_a_synonym(editor_client, client, catalogue):
    editor_client.get(reverse("catalog:search"), {"q": "火星移民"})
    body = editor_client.get(reverse(PAGE)).content.decode()
    assert "火星移民" in body
    assert "为此添加同义词" in body
    prefilled = editor_client.get(reverse(PAGE), {"term": "火星移民"}).content.decode()
    assert 'value="火星移民"' in prefilled


def test_staff_without_the_catalog_role_get_404(client, catalogue, department):
    login_staff(client, make_staff("clerk", department, role="department_admin"))
    assert client.get(reverse(PAGE)).status_code == 404
    assert AuditEvent.objects.filter(event="staff_page", result="denied").exists()
