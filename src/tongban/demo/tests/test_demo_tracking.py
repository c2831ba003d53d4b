"""The demo city's 督办事项: one or more in every state, loaded once."""

import pytest
from django.test import override_settings

from tongban.demo.loader import load_accounts, load_organizations
from tongban.demo.received import load_demo_received
from tongban.demo.tracking import load_tracking
from tongban.tracking.models import Feedback, TrackingItem

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_demo_tracking_items_are_in_every_state_and_load_once():
    departments, _halls = load_organizations()
    load_accounts(departments)
    load_demo_received()

    assert load_tracking() == 7
    assert load_tracking() == 0
    statuses = sorted(TrackingItem.objects.values_list("status", flat=True))
    assert statuses == sorted(
        ["opened", "assigned", "in_progress", "in_progress", "closing", "closed", "evaluated"]
    )
    instructed = TrackingItem.objects.get(source_kind="received_document")
    assert instructed.title == "云州市人民政府关于优化营商环境若干措施的通知"
    assert list(Feedback.objects.filter(item=instructed).values_list("is_late", flat=True)) == [False, True]
    assert instructed.extensions.count() == 0
    assert TrackingItem.objects.get(title="农贸市场改造提升").extensions.get().status == "pending"
