"""The demo city's 12345: routing rules for every category × district, recent orders in every state,
1,200 closed orders of history, a trained classifier; loaded once."""

import pytest
from django.test import override_settings

from tongban.demo.hotline import load_hotline
from tongban.demo.loader import load_accounts, load_organizations
from tongban.hotline import classifier, selectors
from tongban.hotline.models import RoutingRule, WorkOrder

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_the_demo_12345_is_in_every_state_and_loads_once():
    departments, _halls = load_organizations()
    load_accounts(departments)
    classifier.forget_cached_model()
    assert load_hotline() == {"rules": 42, "orders": 14, "history": 1200}
    assert load_hotline() == {"rules": 0, "orders": 0, "history": 0}
    assert RoutingRule.objects.count() == 42
    recent = WorkOrder.objects.exclude(idempotency_key__startswith="hist-")
    states = sorted(recent.values_list("state", flat=True))
    assert states == sorted(
        [
            "submitted",
            "submitted",
            "accepted",
            "dispatched",
            "dispatched",
            "returned",
            "handling",
            "handling",
            "handling",
            "replied",
            "closed",
            "followed_up",
            "rated",
            "merged",
        ]
    )
    overdue = recent.get(title="工地夜间施工噪音")
    assert (overdue.supervised, overdue.warning) == (True, "red")
    assert recent.get(title="餐饮店油烟直排").extensions.get().status == "pending"
    assert WorkOrder.objects.filter(idempotency_key__startswith="hist-").count() == 1200
    assert sum(1 for _ in selectors.training_examples()) >= 1200
    assert classifier.suggest("超市卖过期牛奶，要求退款") is not None
    assert selectors.board()[1] > 0
    classifier.forget_cached_model()
