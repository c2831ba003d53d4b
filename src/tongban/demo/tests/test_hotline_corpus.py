from collections import Counter

from tongban.demo.hotline_corpus import AREAS, ORDER_TYPES, labelled_orders
from tongban.hotline.categories import CATEGORY_CODES

DEMO_REGIONS = {
    "990102000000",
    "990103000000",
    "990121000000",
    "990102001000",
    "990102002000",
    "990103001000",
    "990121100000",
}


def test_the_corpus_is_the_same_for_the_same_seed_and_differs_for_another():
    assert labelled_orders() == labelled_orders()
    assert labelled_orders(count=50, seed=1) != labelled_orders(count=50, seed=2)


def test_the_default_corpus_has_1200_orders_with_distinct_texts():
    orders = labelled_orders()
    assert len(orders) == 1200
    assert len({o.text for o in orders}) == 1200


def test_every_category_region_and_order_type_appears():
    orders = labelled_orders()
    assert {o.category_code for o in orders} == set(CATEGORY_CODES)
    assert {o.region_code for o in orders} == DEMO_REGIONS
    assert {o.order_type for o in orders} == set(ORDER_TYPES)


def test_texts_are_between_20_and_200_characters_and_addresses_are_in_their_region():
    prefixes = {area.region_code: f"云州市{area.prefix}" for area in AREAS}
    for order in labelled_orders():
        assert 20 <= len(order.text) <= 200, order.text
        assert order.address.startswith(prefixes[order.region_code]), order


def test_order_types_follow_the_category():
    # Questions about school places, complaints about noise: no praise of the police in the demo.
    by_category = Counter((o.category_code, o.order_type) for o in labelled_orders())
    assert by_category[("education", "consult")] > by_category[("education", "complaint")]
    assert by_category[("environment", "complaint")] > by_category[("environment", "consult")]
    assert by_category[("public_security", "praise")] == 0


def test_the_corpus_is_not_a_keyword_lookup():
    # The same scenario is filed under different categories (noise from a building site).
    orders = [o for o in labelled_orders() if "工地" in o.text and "噪音" in o.text]
    assert {"environment", "housing"} <= {o.category_code for o in orders}


def test_a_larger_corpus_can_be_asked_for():
    assert len(labelled_orders(count=3000)) == 3000
