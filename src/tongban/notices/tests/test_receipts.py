"""Read receipts (需阅知): who confirmed, who did not, per department; 待阅 counts; 催阅 once a day."""

import pytest
import time_machine
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.core.counting import count_one
from tongban.notices import selectors, services
from tongban.notices.errors import NoticeError
from tongban.notices.models import Notice, NoticeReading
from tongban.notices.tests.helpers import make_city, publish
from tongban.notifications.models import Notification


@pytest.fixture
def city(db):
    return make_city()


def _names(board, department, kind):
    found = next(d for d in board.departments if d.department_id == department.pk)
    return {line.name for line in getattr(found, kind)}


def test_the_board_lists_exactly_who_confirmed_and_who_did_not(city):
    notice_id = publish(city.market_publisher, city.market, audience=[city.market, city.market_branch])
    notice = Notice.objects.get(pk=notice_id)
    services.open_notice(reader_id=city.branch_reader.id, notice_id=notice_id)  # opened, not confirmed
    services.acknowledge_notice(reader_id=city.market_reader.id, notice_id=notice_id)

    board = selectors.receipt_board(notice)

    assert [d.department_id for d in board.departments] == [city.market.pk, city.market_branch.pk]
    assert _names(board, city.market, "read") == {"market_reader"}
    assert _names(board, city.market, "unread") == {"market_pub"}
    assert _names(board, city.market_branch, "read") == set()
    assert _names(board, city.market_branch, "unread") == {"branch_reader"}
    assert (board.total, board.read) == (3, 1)


def test_the_unread_count_falls_when_the_reader_confirms_and_only_then(city):
    notice_id = publish(city.market_publisher, city.market, audience=[city.market])
    assert count_one(selectors.unacknowledged_rows(city.market_reader.id)) == 1
    services.open_notice(reader_id=city.market_reader.id, notice_id=notice_id)
    assert count_one(selectors.unacknowledged_rows(city.market_reader.id)) == 1  # opening is not 已阅知
    first = services.acknowledge_notice(reader_id=city.market_reader.id, notice_id=notice_id)
    again = services.acknowledge_notice(reader_id=city.market_reader.id, notice_id=notice_id)
    assert count_one(selectors.unacknowledged_rows(city.market_reader.id)) == 0
    assert first == again  # the first confirmation's time stands


def test_a_notice_without_receipt_is_not_waiting_and_cannot_be_acknowledged(city):
    notice_id = publish(city.market_publisher, city.market, audience=[city.market], receipt=False)
    assert count_one(selectors.unacknowledged_rows(city.market_reader.id)) == 0
    with pytest.raises(NoticeError):
        services.acknowledge_notice(reader_id=city.market_reader.id, notice_id=notice_id)
    assert not NoticeReading.objects.filter(acknowledged_at__isnull=False).exists()


def test_the_reader_confirms_on_the_page(client, city):
    notice_id = publish(city.market_publisher, city.market, audience=[city.market])
    login_staff(client, city.market_reader)
    page = client.get(reverse("notices:detail", args=[notice_id])).content.decode()
    assert "已阅知</button>" in page
    response = client.post(reverse("notices:acknowledge", args=[notice_id]))
    assert response.status_code == 302
    page = client.get(reverse("notices:detail", args=[notice_id])).content.decode()
    assert "已阅知</button>" not in page
    assert "确认阅知" in page
    assert NoticeReading.objects.get(notice_id=notice_id).reader_id == city.market_reader.id


def test_remind_tells_those_not_yet_confirmed_once_a_day(city):
    notice_id = publish(city.market_publisher, city.market, audience=[city.market, city.market_branch])
    services.acknowledge_notice(reader_id=city.market_reader.id, notice_id=notice_id)
    with time_machine.travel("2026-12-07 09:00 +0800"):
        assert services.remind_unread(actor_id=city.market_publisher.id, notice_id=notice_id) == 2
        assert services.remind_unread(actor_id=city.market_publisher.id, notice_id=notice_id) == 0
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {
        city.market_publisher.id,
        city.branch_reader.id,
    }
    with time_machine.travel("2026-12-08 09:00 +0800"):
        assert services.remind_unread(actor_id=city.market_publisher.id, notice_id=notice_id) == 2
    assert Notification.objects.count() == 4


def test_another_department_cannot_see_the_board_or_remind(client, city):
    notice_id = publish(city.market_publisher, city.market, audience=[city.market])
    other = city.civil_reader
    from conftest import make_staff

    civil_publisher = make_staff("civil_pub", city.civil, "notice_publisher")
    login_staff(client, civil_publisher)
    assert client.get(reverse("notices:receipts", args=[notice_id])).status_code == 404
    assert client.post(reverse("notices:remind", args=[notice_id])).status_code == 404
    assert client.get(reverse("notices:export", args=[notice_id])).status_code == 404
    assert Notification.objects.count() == 0
    assert other.id not in selectors.addressee_ids(Notice.objects.get(pk=notice_id))


def test_the_export_lists_every_addressee(client, city):
    notice_id = publish(city.market_publisher, city.market, audience=[city.market])
    services.acknowledge_notice(reader_id=city.market_reader.id, notice_id=notice_id)
    login_staff(client, city.market_publisher)
    response = client.get(reverse("notices:export", args=[notice_id]))
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0] == "部门,姓名,状态,打开时间,阅知时间"
    assert [line.split(",")[:3] for line in lines[1:]] == [
        ["云州市市场监督管理局", "market_reader", "已阅"],
        ["云州市市场监督管理局", "market_pub", "未阅"],
    ]
