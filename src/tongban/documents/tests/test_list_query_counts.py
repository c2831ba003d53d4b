"""The 发文 and 收文 lists cost the same queries however many rows they show (issue 18's guard: no query
per row)."""

import pytest
from conftest import make_staff
from django.test import Client
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.documents.roles import DOCUMENT_CLERK
from tongban.documents.tests.factories import (
    IssuingBodyFactory,
    OfficialDocumentFactory,
    ReceivedDocumentFactory,
)

pytestmark = pytest.mark.django_db


def _queries(client, url, django_assert_max_num_queries, bound):
    with django_assert_max_num_queries(bound) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_documents_list_costs_the_same_queries_for_three_drafts_as_for_six(django_assert_max_num_queries):
    body = IssuingBodyFactory()
    drafter = make_staff("list_drafter", body.department, DOCUMENT_CLERK)
    client = Client()
    login_staff(client, drafter)
    url = reverse("documents:list")

    drafts = OfficialDocumentFactory.create_batch(3, issuing_body=body, drafter_id=drafter.id)
    three = _queries(client, url, django_assert_max_num_queries, 24)
    drafts += OfficialDocumentFactory.create_batch(3, issuing_body=body, drafter_id=drafter.id)
    six = _queries(client, url, django_assert_max_num_queries, 24)

    assert six == three
    page = client.get(url).content.decode()
    assert all(draft.title in page for draft in drafts)


def test_the_received_list_costs_the_same_queries_for_three_copies_as_for_six(django_assert_max_num_queries):
    first = ReceivedDocumentFactory(
        state="received", registration_number="收〔2026〕1号", handling_status="proposing"
    )
    clerk = make_staff("list_clerk", first.department, DOCUMENT_CLERK)
    client = Client()
    login_staff(client, clerk)
    url = reverse("documents:received_list") + "?tab=handling"

    def more(count, start):
        for n in range(start, start + count):
            ReceivedDocumentFactory(
                source_recipient__department=first.department,
                state="received",
                registration_number=f"收〔2026〕{n}号",
                handling_status="proposing",
            )

    more(2, 2)
    three = _queries(client, url, django_assert_max_num_queries, 24)
    more(3, 4)
    six = _queries(client, url, django_assert_max_num_queries, 24)

    assert six == three
    assert "收〔2026〕6号" in client.get(url).content.decode()
