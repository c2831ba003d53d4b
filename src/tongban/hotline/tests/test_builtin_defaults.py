"""The built-in categories and default limits come back where a database lost them (the demo loader)."""

import pytest

from tongban.hotline import services
from tongban.hotline.categories import CATEGORY_CODES
from tongban.hotline.models import Category, TimeLimit

pytestmark = pytest.mark.django_db


def test_missing_categories_and_limits_are_restored_and_edits_kept():
    Category.objects.all().delete()
    TimeLimit.objects.all().delete()
    services.ensure_builtin_categories_and_limits()
    TimeLimit.objects.filter(order_type="complaint", urgency="general").update(amount=5)
    services.ensure_builtin_categories_and_limits()
    assert sorted(Category.objects.values_list("code", flat=True)) == sorted(CATEGORY_CODES)
    assert TimeLimit.objects.count() == 24
    assert TimeLimit.objects.get(order_type="complaint", urgency="general").amount == 5
