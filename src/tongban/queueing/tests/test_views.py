"""The queue's pages: kiosk, ticket page, display screen, window panel."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.queueing.models import QueueTicket


@pytest.fixture
def clerk_client(clerk):
    staff = Client()  # not the anonymous kiosk's ``client``
    login_staff(staff, clerk)
    return staff


def test_the_kiosk_gives_a_number_and_its_page_counts_who_is_ahead(client, hall, item, windows):
    kiosk = reverse("queueing:kiosk", args=[hall.pk])
    assert item.name in client.get(kiosk).content.decode()
    client.post(kiosk, {"item": item.item_id})
    response = client.post(kiosk, {"item": item.item_id})
    page = client.get(response["Location"]).content.decode()
    assert "A002" in page
    assert "前面还有 1 人等候" in page


def test_the_kiosk_shows_why_it_gave_no_number(client, hall, item, windows):
    response = client.post(reverse("queueing:kiosk", args=[hall.pk]), {"code": "ZZZZZZ"})
    assert response.status_code == 400
    assert "预约码无效，或不是今天在本大厅的预约。" in response.content.decode()
    response = client.post(reverse("queueing:kiosk", args=[hall.pk]), {})
    assert "请选择要办理的事项，或输入预约码。" in response.content.decode()
    assert QueueTicket.objects.count() == 0


def test_a_ticket_page_needs_its_signed_address(client, hall, item, windows):
    response = client.post(reverse("queueing:kiosk", args=[hall.pk]), {"item": item.item_id})
    token = re.search(r"/tickets/([^/]+)/", response["Location"])[1]
    assert client.get(reverse("queueing:ticket", args=[token + "x"])).status_code == 404
    assert client.get(reverse("queueing:ticket", args=["1"])).status_code == 404


def test_the_window_calls_and_the_display_shows_it(client, clerk_client, hall, item, windows):
    client.post(reverse("queueing:kiosk", args=[hall.pk]), {"item": item.item_id})
    act = reverse("queueing:act", args=[windows["A01"]])
    clerk_client.post(act, {"action": "next"})
    panel = clerk_client.get(reverse("queueing:window", args=[windows["A01"]])).content.decode()
    assert "A001" in panel
    display = client.get(reverse("queueing:display", args=[hall.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "请 A001 号到 A01 号窗口" in display


def test_a_refused_action_is_a_message_on_the_panel(clerk_client, client, hall, item, windows):
    client.post(reverse("queueing:kiosk", args=[hall.pk]), {"item": item.item_id})
    act = reverse("queueing:act", args=[windows["A01"]])
    clerk_client.post(act, {"action": "next"})
    ticket = QueueTicket.objects.get()
    clerk_client.post(act, {"action": "skip", "ticket": ticket.pk})
    response = clerk_client.post(act, {"action": "finish", "ticket": ticket.pk}, follow=True)
    assert "已过号，不能再操作" in response.content.decode()


def test_another_departments_window_is_not_found(clerk_client, windows):
    assert clerk_client.get(reverse("queueing:window", args=[windows["B05"]])).status_code == 404
    assert (
        clerk_client.post(reverse("queueing:act", args=[windows["B05"]]), {"action": "next"}).status_code
        == 404
    )


def test_the_display_page_costs_a_fixed_number_of_queries(
    client, clerk_client, hall, item, windows, django_assert_num_queries
):
    for _ in range(5):
        client.post(reverse("queueing:kiosk", args=[hall.pk]), {"item": item.item_id})
    clerk_client.post(reverse("queueing:act", args=[windows["A01"]]), {"action": "next"})
    clerk_client.post(reverse("queueing:act", args=[windows["A02"]]), {"action": "next"})
    with django_assert_num_queries(2):
        client.get(reverse("queueing:display", args=[hall.pk]), HTTP_HX_REQUEST="true")
