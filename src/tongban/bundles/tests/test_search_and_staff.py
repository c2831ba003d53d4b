"""Bundles in the catalogue's search (first when the query names a life event) and the catalog
staff's pages to build and publish them."""

import pytest
from conftest import make_staff

from tongban.accounts.tests.helpers import login_staff
from tongban.bundles import selectors, services
from tongban.bundles.errors import BundleError
from tongban.bundles.models import Bundle, BundleItem, BundleQuestion
from tongban.bundles.tests.factories import restaurant_bundle


@pytest.fixture
def restaurant(department, other_department, publish_item):
    return restaurant_bundle(department, other_department, publish_item)


@pytest.mark.parametrize("query", ["我要开饭店", "开餐馆", "餐饮店"])
def test_a_life_event_query_finds_the_bundle(restaurant, query):
    assert [hit.title for hit in selectors.featured_bundles(query)] == ["开办餐饮店"]


def test_other_queries_and_unpublished_bundles_find_no_bundle(restaurant):
    assert selectors.featured_bundles("结婚登记") == []
    services.unpublish_bundle(actor_id=None, bundle_id=restaurant.bundle_id)
    assert selectors.featured_bundles("开饭店") == []


def test_search_ranks_the_bundle_first_for_a_life_event(client, restaurant):
    page = client.get("/search/", {"q": "食品经营 开饭店"}).content.decode()
    # The bundle's link comes before the first item's, and the items follow.
    first_item = page.index('class="item-name"')
    assert page.index("/bundles/open-restaurant/") < first_item
    assert "食品经营许可" in page[first_item:]


def test_publishing_needs_two_published_items(department, publish_item):
    item = publish_item(department, name="食品经营许可")
    bundle_id = services.save_bundle(actor_id=None, code="solo", name="单项")
    services.add_bundle_item(actor_id=None, bundle_id=bundle_id, item_id=item.item_id)
    with pytest.raises(BundleError, match="至少包含两个事项"):
        services.publish_bundle(actor_id=None, bundle_id=bundle_id)
    assert Bundle.objects.get(pk=bundle_id).status == "draft"


def test_only_published_items_can_be_added(department, publish_item):
    from tongban.catalog import services as catalog_services
    from tongban.catalog.tests.factories import ItemDraftFactory

    draft = catalog_services.create_item(
        department_id=department.pk,
        basic_code="000299999999",
        implementation_code=department.uscc + "000299999999",
        draft=ItemDraftFactory(),
        actor_id=None,
    )
    bundle_id = services.save_bundle(actor_id=None, code="x", name="某事")
    with pytest.raises(BundleError, match="已发布的事项"):
        services.add_bundle_item(actor_id=None, bundle_id=bundle_id, item_id=draft.item_id)
    assert not BundleItem.objects.exists()


def test_catalog_editor_builds_and_publishes_a_bundle_in_the_workbench(client, department, publish_item):
    first = publish_item(department, name="出生医学证明首次签发")
    second = publish_item(department, name="出生登记")
    editor = make_staff("bundle_editor", department)
    login_staff(client, editor)
    response = client.post(
        "/staff/bundles/",
        {"action": "save", "name": "新生儿出生", "code": "newborn", "life_events": "生孩子，宝宝出生"},
    )
    bundle = Bundle.objects.get(code="newborn")
    assert response.status_code == 302
    assert bundle.life_events == ["生孩子", "宝宝出生"]
    url = f"/staff/bundles/{bundle.pk}/"
    refused = client.post(url, {"action": "publish"})
    assert refused.status_code == 400
    assert "至少包含两个事项" in refused.content.decode()
    for n, ref in enumerate([first, second]):
        assert client.post(url, {"action": "add_item", "item": ref.item_id, "position": n}).status_code == 302
    entry = BundleItem.objects.get(bundle=bundle, item_id=second.item_id)
    no_switch = client.post(url, {"action": "add_question", "text": "是否需要落户？"})
    assert no_switch.status_code == 400
    assert "请选择该问题适用的事项" in no_switch.content.decode()
    client.post(url, {"action": "add_question", "text": "是否需要落户？", "switches": [entry.pk]})
    assert list(BundleQuestion.objects.get(bundle=bundle).switches.all()) == [entry]
    assert client.post(url, {"action": "publish"}).status_code == 302
    assert Bundle.objects.get(pk=bundle.pk).status == "published"
    assert "新生儿出生" in client.get("/search/", {"q": "生孩子"}).content.decode()


def test_a_citizen_gets_404_on_the_staff_pages(client, db):
    from django.contrib.auth import get_user_model

    from tongban.accounts.services import ensure_user

    ref = ensure_user(username="c1", full_name="甲", kind="citizen", password="x-Unused-Pass-1")
    client.force_login(get_user_model().objects.get(pk=ref.id))
    assert client.get("/staff/bundles/").status_code == 404
