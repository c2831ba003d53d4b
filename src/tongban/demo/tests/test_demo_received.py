"""The demo city's 收文 wait for its demo 公文 staff at every step of 收文办理, loaded once."""

import pytest
from django.test import override_settings

from tongban.demo.loader import load_accounts, load_organizations
from tongban.demo.received import load_demo_received
from tongban.documents.models import ReceivedDocument

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_demo_received_documents_wait_at_each_step_and_load_once():
    departments, _halls = load_organizations()
    load_accounts(departments)

    assert load_demo_received() == 6
    assert load_demo_received() == 0
    statuses = sorted(ReceivedDocument.objects.values_list("handling_status", flat=True))
    assert statuses == sorted(["", "proposing", "instructing", "handling", "circulating", "done"])
