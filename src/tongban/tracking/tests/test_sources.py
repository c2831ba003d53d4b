"""督办来源: a leader's 批示 on a 收文 prefills 立项 and links the item; other apps register kinds."""

import pytest
from conftest import make_staff
from django.test import Client
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.documents.tests.incoming_helpers import office, signed_for, to_handling
from tongban.tracking import sources
from tongban.tracking.models import TrackingItem
from tongban.tracking.roles import TRACKING_OFFICER

pytestmark = pytest.mark.django_db


@pytest.fixture
def instructed():
    o = office()
    received = signed_for(o, title="关于加快老旧小区改造的请示")
    to_handling(o, received, days=15)
    # The 督查室 sits in the receiving office; its officer does the office's 收发 too, so sees the 收文.
    officer = make_staff("duchaci", o.department, TRACKING_OFFICER)
    make_staff("duchaci", o.department, "document_clerk")
    return o, received, officer


def test_a_received_documents_instruction_resolves_for_someone_who_may_see_it(instructed):
    o, received, officer = instructed
    source = sources.resolve(officer.id, f"received_document:{received.pk}")
    assert source is not None
    assert (source.title, source.requirement, source.deadline_days, source.leader_id) == (
        "关于加快老旧小区改造的请示",
        "同意，请财政局、教育局办理",
        15,
        o.signer.id,
    )
    assert (source.lead_department_id, source.assisting_department_ids) == (
        o.handling_a.pk,
        (o.handling_b.pk,),
    )
    assert source.url == reverse("documents:received_handling", args=[received.pk])
    outsider = make_staff("outsider", o.handling_b, TRACKING_OFFICER)
    assert sources.resolve(outsider.id, f"received_document:{received.pk}") is None


def test_the_new_item_page_is_prefilled_from_the_instruction_and_links_it(instructed):
    o, received, officer = instructed
    client = Client()
    login_staff(client, officer)
    page = client.get(reverse("tracking:new") + f"?source=received_document:{received.pk}").content.decode()
    assert 'value="关于加快老旧小区改造的请示"' in page
    assert "同意，请财政局、教育局办理</textarea>" in page
    response = client.post(
        reverse("tracking:new"),
        {
            "source": f"received_document:{received.pk}",
            "office_department": o.department.pk,
            "title": "关于加快老旧小区改造的请示",
            "requirement": "同意，请财政局、教育局办理",
            "lead_department": o.handling_a.pk,
            "assisting_departments": [o.handling_b.pk],
            "deadline_days": "15",
            "level": "leader",
            "cycle": "weekly",
        },
    )
    item = TrackingItem.objects.get()
    assert response.status_code == 302
    assert (item.source_kind, item.source_id, item.leader_id) == (
        "received_document",
        str(received.pk),
        o.signer.id,
    )
    received.refresh_from_db()
    assert item.source_label == f"收文{received.registration_number}领导批示"
    # The leader who instructed sees the item (and the 收文 handling page offers 立项督办 to the officer).
    leader = Client()
    login_staff(leader, o.signer)
    assert leader.get(reverse("tracking:item", args=[item.pk])).status_code == 200
    handling = client.get(reverse("documents:received_handling", args=[received.pk])).content.decode()
    assert f"/staff/tracking/new/?source=received_document:{received.pk}" in handling


def test_the_handling_page_offers_no_tracking_link_to_others(instructed):
    o, received, _officer = instructed
    client = Client()
    login_staff(client, o.clerk)
    handling = client.get(reverse("documents:received_handling", args=[received.pk])).content.decode()
    assert "/staff/tracking/new/" not in handling


def test_another_app_registers_a_source_kind():
    def resolve(viewer_id, source_id):
        return sources.Source(
            kind="meeting_decision", id=source_id, label="会议决定", title=f"决定{source_id}"
        )

    sources.register("meeting_decision", "会议决定", resolve)
    try:
        found = sources.resolve(1, "meeting_decision:7")
        assert found is not None
        assert (found.title, found.label) == ("决定7", "会议决定")
        assert sources.resolve(1, "meeting_decision:") is None
        assert sources.kind_label("meeting_decision") == "会议决定"
    finally:
        sources._kinds.pop("meeting_decision")
