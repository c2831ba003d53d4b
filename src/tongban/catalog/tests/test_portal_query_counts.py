"""The public search page, its htmx rows, the search API and the guide page read a fixed number of
rows however many items match (issue 18: no N+1 on hot pages)."""

import pytest
from django.db import connection
from django.urls import reverse

from tongban.catalog.services import ensure_theme
from tongban.catalog.tests.factories import ItemDraftFactory
from tongban.catalog.types import FaqData

ITEMS = "/api/v1/catalog/items/"

# The index's own ranking and reads: the synonym table is off (catalog/tests/conftest.py).
pytestmark = pytest.mark.usefixtures("literal_search")


@pytest.fixture
def licences(department, publish_item):
    """Eight items naming 营业执照, enough that a query per row would pass any bound below."""
    ensure_theme(name="准营准办", audience="legal")
    return [
        publish_item(department, name=f"个体工商户营业执照{kind}", theme_names=("准营准办",))
        for kind in ("核发", "变更", "注销", "补领", "换发", "迁移", "备案", "延续")
    ]


# Ranking reads the index tier by tier until it has 201 items: here three (the name holding 营业执照,
# holding 营业 and 执照, any match), each after an EXPLAIN on PostgreSQL, where the tiers run in a
# transaction of their own that turns sequential scans off (BEGIN, SET LOCAL, COMMIT); then one query
# for the page; and one for the 一件事 listed before the items (catalog.featured, issue 19).
SEARCH_QUERIES = 5 if connection.vendor == "sqlite" else 11


def test_search_page_reads_a_fixed_number_of_rows(client, licences, django_assert_max_num_queries):
    with django_assert_max_num_queries(SEARCH_QUERIES):
        response = client.get(reverse("catalog:search"), {"q": "营业执照"})
    assert len(response.context["page"].object_list) == 8


def test_htmx_search_rows_read_a_fixed_number_of_rows(client, licences, django_assert_max_num_queries):
    with django_assert_max_num_queries(SEARCH_QUERIES):
        response = client.get(
            reverse("catalog:search"), {"q": "营业执照"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
        )
    assert response.content.decode().count('class="item-name"') == 8


def test_search_api_reads_a_fixed_number_of_rows(client, licences, django_assert_max_num_queries):
    with django_assert_max_num_queries(SEARCH_QUERIES):
        response = client.get(ITEMS, {"q": "营业执照"})
    assert response.json()["count"] == 8


def test_guide_page_reads_a_fixed_number_of_rows(
    client, department, publish_item, django_assert_max_num_queries
):
    # Several rows in every list of the guide, so a query per row would show.
    template = ItemDraftFactory.build(charged=True)
    ref = publish_item(
        department,
        charged=True,
        materials=template.materials * 4,
        faqs=tuple(FaqData(question=f"问题{n}？", answer="解答。") for n in range(4)),
        fees=template.fees * 3,
        legal_bases=template.legal_bases * 3,
    )
    # The version with its 7 lists, then the process binding, its definition, roles and step kinds.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("catalog:guide", args=[ref.implementation_code]))
    assert response.content.decode().count("个体工商户登记（备案）申请书") >= 4
