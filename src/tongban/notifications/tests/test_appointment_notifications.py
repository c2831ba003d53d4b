"""A booking cancelled because the hall closed its day reaches the applicant's inbox with the reason;
nobody else hears of it."""

import datetime as dt

import pytest
import time_machine
from conftest import make_staff
from django.urls import reverse

from tongban.appointments import selectors, services
from tongban.appointments.tests.conftest import MONDAY, NOW, citizen, item_rule
from tongban.core.calendar import seed_year
from tongban.notifications.models import Notification
from tongban.organizations.tests.factories import ServiceHallFactory


@pytest.fixture
def published(db, department, publish_item):
    """A Friday morning; the market regulator's item bookable at the hall from Monday."""
    with time_machine.travel(NOW, tick=False):
        seed_year(2026)
        hall = ServiceHallFactory(name="云州市锦江区政务服务中心")
        item = publish_item(
            department, hall_id=hall.pk, supports_appointment=True, appointment_daily_quota=10
        )
        clerk = make_staff("market_clerk", department, role="clerk")
        item_rule(item, clerk)
        yield item, clerk


def test_the_applicant_is_told_why_the_booking_was_cancelled(published, django_capture_on_commit_callbacks):
    item, clerk = published
    zhang, li = citizen("citizen_zhang"), citizen("citizen_li", "李四")
    first = selectors.available_slots(item.implementation_code, from_date=MONDAY).first()
    assert (first.date, first.start_time) == (MONDAY, dt.time(9, 0))
    booked = services.book(slot_id=first.pk, applicant_id=zhang.id)
    with django_capture_on_commit_callbacks(execute=True):
        services.close_day(staff_id=clerk.id, item_id=item.item_id, date=MONDAY, reason="大厅电力检修。")
    message = Notification.objects.get()
    assert message.recipient_id == zhang.id
    assert message.title == "预约已取消"
    assert message.body == (
        f"您预约的“个体工商户营业执照核发”（云州市锦江区政务服务中心，2026年11月23日 09:00–09:30，"
        f"预约码{booked.code}）已取消。原因：大厅电力检修。请另选时段重新预约。"
    )
    assert message.link == reverse("appointments:detail", args=[booked.id])
    assert not Notification.objects.filter(recipient_id__in=[li.id, clerk.id]).exists()
