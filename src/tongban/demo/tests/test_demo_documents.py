"""The demo city's 发文 stand at every step of the 发文 process, distributed ones with recipients 已送达,
已签收 and 已退文, one 已归档; 收文 wait for 签收 at several departments; loading again changes nothing."""

import re

import pytest
from django.test import override_settings

from tongban.demo.documents import DOCUMENTS, load_demo_documents
from tongban.demo.loader import load_accounts, load_organizations
from tongban.documents.models import DeliveryState, IncomingState, OfficialDocument, ReceivedDocument
from tongban.documents.sealing import verify_pdf_seal
from tongban.documents.services import drafting

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_demo_documents_stand_at_every_state_and_load_once():
    departments, _halls = load_organizations()
    load_accounts(departments)
    drafting.install_process()

    assert load_demo_documents() > 0
    assert load_demo_documents() == 0
    assert OfficialDocument.objects.count() == len(DOCUMENTS)
    statuses = set(OfficialDocument.objects.values_list("status", flat=True))
    assert statuses == {
        "drafting",
        "reviewing",
        "countersigning",
        "signing",
        "numbering",
        "typesetting",
        "sealing",
        "distributed",
        "archived",
    }
    numbers = OfficialDocument.objects.exclude(document_number=None).values_list("document_number", flat=True)
    assert all(re.fullmatch(r"(云州府办|云州市监)〔\d{4}〕\d+号", n) for n in numbers)
    states = set(OfficialDocument.objects.values_list("recipients__state", flat=True))
    assert {DeliveryState.DELIVERED, DeliveryState.RECEIVED, DeliveryState.RETURNED} <= states
    pending = set(
        ReceivedDocument.objects.filter(state=IncomingState.PENDING).values_list(
            "department__name", flat=True
        )
    )
    assert len(pending) >= 3
    sealed = OfficialDocument.objects.filter(status="distributed").first()
    with sealed.sealed_pdf.open("rb") as handle:
        assert verify_pdf_seal(handle.read()).valid
