"""登记 (收文办理): 收文号 per department and year without gaps; only a signed-for copy; idempotent."""

import datetime as dt

import pytest
import time_machine

from tongban.core.calendar import CHINA_TZ
from tongban.documents.models import ReceivedDocument
from tongban.documents.services import incoming
from tongban.documents.tests.factories import ReceivedDocumentFactory
from tongban.documents.tests.incoming_helpers import fields_of, office, open_task, register, signed_for

pytestmark = pytest.mark.django_db


def test_registration_gives_consecutive_numbers_per_department_and_year():
    o = office()
    other = office_of_another_department(o)
    with time_machine.travel(dt.datetime(2026, 12, 31, 10, tzinfo=CHINA_TZ), tick=False):
        first = register(o, signed_for(o))
        elsewhere = register(other, signed_for(other))
        second = register(o, signed_for(o))
    with time_machine.travel(dt.datetime(2027, 1, 4, 10, tzinfo=CHINA_TZ), tick=False):
        next_year = register(o, signed_for(o))

    assert [first, second, next_year] == [
        "市发改委收〔2026〕1号",
        "市发改委收〔2026〕2号",
        "市发改委收〔2027〕1号",
    ]
    assert elsewhere == "市民政局收〔2026〕1号"


def office_of_another_department(o):
    from conftest import make_staff

    from tongban.documents.roles import DOCUMENT_CLERK
    from tongban.organizations.tests.factories import DepartmentFactory

    department = DepartmentFactory(name="云州市民政局", short_name="市民政局")
    return type(o)(
        department=department,
        clerk=make_staff("minzheng_clerk", department, DOCUMENT_CLERK),
        reviewer=None,
        signer=None,
        handling_a=None,
        clerk_a=None,
        handling_b=None,
        clerk_b=None,
    )


def test_registering_before_signing_for_is_refused_and_takes_no_number():
    o = office()
    pending = ReceivedDocumentFactory(source_recipient__department=o.department)  # 待签收

    with pytest.raises(incoming.IncomingStateError) as refused:
        incoming.register_received(received_id=pending.pk, user_id=o.clerk.id, fields=fields_of(pending))

    assert refused.value.status == 409
    pending.refresh_from_db()
    assert pending.registration_number == ""
    assert register(o, signed_for(o)).endswith("〕1号")  # the refusal used no number


def test_registering_twice_keeps_the_first_number_and_one_process():
    o = office()
    received = signed_for(o)

    number = register(o, received)
    again = incoming.register_received(
        received_id=received.pk, user_id=o.clerk.id, fields=fields_of(received, title="改过的标题")
    )

    assert again == number
    assert ReceivedDocument.objects.get(pk=received.pk).title == received.title
    assert open_task(received, "propose") is not None


def test_a_clerk_of_another_department_cannot_register():
    o = office()
    other = office_of_another_department(o)
    received = signed_for(o)

    with pytest.raises(incoming.IncomingNotFound):
        incoming.register_received(
            received_id=received.pk, user_id=other.clerk.id, fields=fields_of(received)
        )


def test_registration_records_the_edited_fields_and_asks_for_a_title():
    o = office()
    received = signed_for(o)
    with pytest.raises(incoming.IncomingError):
        incoming.register_received(
            received_id=received.pk, user_id=o.clerk.id, fields=fields_of(received, title=" ")
        )

    incoming.register_received(
        received_id=received.pk,
        user_id=o.clerk.id,
        fields=fields_of(received, urgency="urgent", page_count=12, sender_name="云州市人民政府"),
    )

    received.refresh_from_db()
    assert (received.urgency, received.page_count, received.sender_name) == ("urgent", 12, "云州市人民政府")
    assert received.handling_status == "proposing"
