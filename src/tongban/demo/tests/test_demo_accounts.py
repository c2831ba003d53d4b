import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured

from tongban.demo.loader import load_demo_city


def test_T_A10_demo_accounts_are_refused_outside_development(settings, db):
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured):
        load_demo_city(with_accounts=True)
    assert get_user_model().objects.count() == 0
