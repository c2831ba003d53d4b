"""Staff alerts from e-supervision (催办, 督办, deadline warnings) land in each recipient's inbox."""

import pytest
from conftest import make_staff

from tongban.notifications.models import Notification
from tongban.supervision.events import staff_alerted


@pytest.mark.django_db
def test_each_recipient_gets_the_alert_in_their_inbox(department):
    first, second = (make_staff(f"reviewer{n}", department, role="reviewer") for n in (1, 2))
    staff_alerted.send(
        sender=None,
        recipient_ids=[first.id, second.id],
        title="催办",
        body="办件YZ2026110200000001：请尽快审查",
        link="/staff/applications/1/",
    )
    rows = Notification.objects.order_by("recipient_id")
    assert [(n.recipient_id, n.title, n.link) for n in rows] == [
        (first.id, "催办", "/staff/applications/1/"),
        (second.id, "催办", "/staff/applications/1/"),
    ]
