"""收文办理: 登记 → 拟办 → 领导批示 → 承办 (two departments) → 传阅 → 办结 with a linked 批复."""

import pytest

from tongban.documents.models import Circulation, HandlingAssignment, IncomingHandling, ReceivedDocument
from tongban.documents.services import incoming
from tongban.documents.tests.factories import IssuingBodyFactory, OfficialDocumentFactory
from tongban.documents.tests.incoming_helpers import office, open_task, signed_for, to_handling
from tongban.workflow import selectors as workflow_selectors

pytestmark = pytest.mark.django_db


def test_the_whole_path_from_registration_to_closing_with_a_linked_reply():
    o = office()
    received = signed_for(o, kind="request")
    completion = to_handling(o, received, days=5)

    opened = {t.element_id: t for t in completion.opened}
    assert set(opened) == {"handle_1", "handle_2"}
    assert opened["handle_1"].department_id == o.handling_a.pk
    assert opened["handle_2"].department_id == o.handling_b.pk
    received.refresh_from_db()
    assert received.handling_status == "handling"
    sheet = IncomingHandling.objects.get(received=received)
    assert sheet.instruction.startswith("同意")
    assert bytes(sheet.signature_image).startswith(b"\x89PNG")
    assert [a.department_id for a in HandlingAssignment.objects.filter(received=received)] == [
        o.handling_a.pk,
        o.handling_b.pk,
    ]

    incoming.complete_handling(task_id=opened["handle_1"].id, user_id=o.clerk_a.id, result="已安排资金")
    received.refresh_from_db()
    assert received.handling_status == "handling"
    incoming.complete_handling(task_id=opened["handle_2"].id, user_id=o.clerk_b.id, result="已通知各校")
    received.refresh_from_db()
    assert received.handling_status == "circulating"

    circulate = open_task(received, "circulate")
    assert (
        incoming.circulate(task_id=circulate.id, user_id=o.clerk.id, reader_ids=[o.reviewer.id, o.signer.id])
        == 2
    )
    first = incoming.mark_read(received_id=received.pk, user_id=o.signer.id)
    incoming.close_circulation(task_id=circulate.id, user_id=o.clerk.id)
    rows = {c.reader_id: c.read_at for c in Circulation.objects.filter(received=received)}
    assert rows == {o.reviewer.id: None, o.signer.id: first}

    reply = OfficialDocumentFactory(
        kind="reply",
        issuing_body=IssuingBodyFactory(department=o.department, code="云州发改"),
        document_number="云州发改〔2026〕3号",
    )
    close = open_task(received, "close")
    with pytest.raises(incoming.IncomingError):
        incoming.close_received(task_id=close.id, user_id=o.clerk.id, note="已批复")  # a 请示 needs its 批复
    incoming.close_received(
        task_id=close.id, user_id=o.clerk.id, note="已批复", reply_number="云州发改〔2026〕3号"
    )

    received.refresh_from_db()
    assert received.handling_status == "done"
    assert IncomingHandling.objects.get(received=received).reply == reply
    assert workflow_selectors.open_tasks_of(received.subject) == []
    assert ReceivedDocument.objects.get(pk=received.pk).registration_number == "市发改委收〔2026〕1号"
