"""Public portal pages: browse, search, guide, print, blank form download."""

import re
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tongban.catalog import selectors
from tongban.catalog.services import ensure_theme, start_draft
from tongban.core.search import MAX_QUERY_CHARS, MAX_QUERY_TOKENS


@pytest.fixture
def marriage(department, publish_item):
    ensure_theme(name="婚姻登记", audience="natural")
    return publish_item(
        department,
        name="内地居民结婚登记",
        summary="内地居民在本市登记结婚。",
        kind="confirmation",
        theme_names=("婚姻登记",),
        promised_limit=0,
        is_instant=True,
        statutory_limit=None,
        online_depth=3,
        site_visits=1,
        site_visit_reason="男女双方须亲自到场，当场签署声明并拍照",
        result_name="结婚证",
    )


@pytest.fixture
def business_license(department, publish_item):
    return publish_item(department)


def test_search_finds_marriage_registration_by_a_part_of_its_name(client, marriage, business_license):
    response = client.get(reverse("catalog:search"), {"q": "结婚"})
    assert response.status_code == 200
    assert [v.name for v in response.context["page"].object_list] == ["内地居民结婚登记"]


def test_search_for_business_license_finds_the_sole_proprietor_item(client, marriage, business_license):
    response = client.get(reverse("catalog:search"), {"q": "营业执照"})
    assert [v.name for v in response.context["page"].object_list] == ["个体工商户营业执照核发"]


def test_search_with_a_question_finds_the_item(client, marriage, business_license):
    response = client.get(reverse("catalog:search"), {"q": "我要怎么办结婚登记"})
    assert [v.name for v in response.context["page"].object_list] == ["内地居民结婚登记"]


def test_search_without_match_says_so(client, marriage):
    response = client.get(reverse("catalog:search"), {"q": "火星移民"})
    assert "没有找到相关事项" in response.content.decode()


@pytest.mark.parametrize("query", ["%" * 1000, "_" * 1000, "' OR ''='", "火星%", "%_%"])
def test_T_K4_pathological_search_query_is_answered_and_matches_nothing(client, marriage, query):
    response = client.get(reverse("catalog:search"), {"q": query})
    assert response.status_code == 200
    # Neither a LIKE wildcard nor SQL in the query matches every item.
    assert list(response.context["page"].object_list) == []
    assert "没有找到相关事项" in response.content.decode()


def test_T_K4_a_long_query_costs_what_its_first_characters_cost(marriage):
    # The first MAX_QUERY_CHARS characters hold three words; many more follow.
    first = "结婚登记" + "火星移民" * 24
    assert len(first) == MAX_QUERY_CHARS
    long_query = first + "户口迁移出生证明社会保险养老保险医疗保险住房公积金营业执照税务登记" * 50
    # The synonym table loads once per process (issue 19), before either search is counted.
    selectors.search_published("结婚")
    with CaptureQueriesContext(connection) as long_search:
        results = selectors.search_published(long_query)
    with CaptureQueriesContext(connection) as short_search:
        selectors.search_published(first)
    assert results.words == ["结婚登记", "火星", "移民"]
    assert _statements(long_search) == _statements(short_search)
    assert [v.name for v in results.versions] == ["内地居民结婚登记"]


def _statements(captured: CaptureQueriesContext) -> list[str]:
    # Savepoint names differ from one transaction to the next (PostgreSQL ranks in one of its own).
    return [re.sub(r'"s\d+_x\d+"', '"savepoint"', q["sql"]) for q in captured.captured_queries]


def test_T_K4_a_query_of_many_words_keeps_the_first_few(marriage):
    results = selectors.search_published(
        "结婚登记户口迁移出生证明社会保险养老保险医疗保险住房公积金营业执照税务登记"
    )
    assert len(results.words) == MAX_QUERY_TOKENS
    assert results.words[0] == "结婚登记"


def test_htmx_search_returns_only_the_result_rows(client, marriage):
    response = client.get(
        reverse("catalog:search"), {"q": "结婚"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    body = response.content.decode()
    assert "内地居民结婚登记" in body
    assert "<html" not in body


def test_guide_shows_the_standard_sections(client, marriage):
    response = client.get(reverse("catalog:guide", args=[marriage.implementation_code]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>内地居民结婚登记</h1>" in body
    for heading in (
        "承诺时限",
        "到现场次数",
        "申请材料",
        "办理流程",
        "常见问题",
        "设定和实施依据",
        "监督投诉电话",
    ):
        assert heading in body
    assert "<dt>承诺时限</dt><dd>即办" in body
    assert "男女双方须亲自到场" in body


def test_guide_print_page_opens_the_legal_basis(client, marriage):
    response = client.get(reverse("catalog:guide_print", args=[marriage.implementation_code]))
    assert response.status_code == 200
    assert "<details open>" in response.content.decode()


def test_blank_form_downloads_as_an_attachment(client, marriage):
    guide = client.get(reverse("catalog:guide", args=[marriage.implementation_code]))
    material = guide.context["version"].materials.get()
    response = client.get(reverse("catalog:blank_form", args=[marriage.implementation_code, material.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 blank form"


def test_blank_form_of_another_items_material_is_not_found(client, marriage, business_license):
    guide = client.get(reverse("catalog:guide", args=[business_license.implementation_code]))
    material = guide.context["version"].materials.get()
    response = client.get(reverse("catalog:blank_form", args=[marriage.implementation_code, material.pk]))
    assert response.status_code == 404


def test_draft_content_is_not_public(client, marriage):
    draft = start_draft(item_id=marriage.item_id, actor_id=None)
    assert draft.status == "draft"
    response = client.get(reverse("catalog:guide", args=[marriage.implementation_code]))
    assert response.context["version"].number == 1


def test_unknown_item_is_a_chinese_404(client, db):
    response = client.get(reverse("catalog:guide", args=["NOPE"]))
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_browse_pages_list_the_item(client, marriage, department):
    theme_id = (
        client.get(reverse("catalog:guide", args=[marriage.implementation_code]))
        .context["version"]
        .themes.get()
        .pk
    )
    for url in (
        reverse("catalog:theme", args=[theme_id]),
        reverse("catalog:department", args=[department.pk]),
        reverse("catalog:region", args=[department.region.code]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "内地居民结婚登记" in response.content.decode(), url


@pytest.mark.parametrize(
    "name", ["catalog:home", "catalog:themes", "catalog:departments", "catalog:regions", "catalog:sitemap"]
)
def test_index_pages_render_with_one_h1_and_chinese_lang(client, marriage, name):
    body = client.get(reverse(name)).content.decode()
    assert body.count("<h1") == 1
    assert '<html lang="zh-CN"' in body
    assert 'href="#main"' in body


def test_home_shows_catalog_metrics(client, marriage, business_license):
    body = client.get(reverse("catalog:home")).content.decode()
    assert "网上可办率" in body
    assert "100.0%" in body  # both items accept online at depth ≥ 3


def test_elder_mode_switch_sets_class_on_next_page(client, marriage):
    response = client.get(reverse("core:elder"), {"on": "1", "next": "/search/?q=结婚"})
    assert response.status_code == 302
    assert unquote(response["Location"]) == "/search/?q=结婚"
    body = client.get(reverse("catalog:home")).content.decode()
    assert '<html lang="zh-CN" class="elder">' in body
    client.get(reverse("core:elder"), {"on": "0"})
    assert 'class="elder"' not in client.get(reverse("catalog:home")).content.decode()


def test_T_A11_elder_switch_never_redirects_off_site(client, db):
    response = client.get(reverse("core:elder"), {"on": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_english_is_available(client, marriage):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get(reverse("catalog:home")).content.decode()
    assert '<html lang="en"' in body
    assert "Search" in body
