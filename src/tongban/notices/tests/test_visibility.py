"""Who sees a notice: its audience only (404 for anyone else); city-wide only from the general office;
撤回 keeps the record."""

import pytest
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.core.counting import count_one
from tongban.core.models import AuditEvent
from tongban.notices import selectors, services
from tongban.notices.errors import NoticeError
from tongban.notices.models import Notice, NoticeReading, NoticeStatus
from tongban.notices.tests.helpers import make_city, publish
from tongban.notices.types import NoticeDraft


@pytest.fixture
def city(db):
    return make_city()


def test_T_B3_a_department_notice_is_invisible_to_another_department(client, city):
    notice_id = publish(city.market_publisher, city.market, audience=[city.market])
    login_staff(client, city.civil_reader)
    assert client.get(reverse("notices:detail", args=[notice_id])).status_code == 404
    assert client.post(reverse("notices:acknowledge", args=[notice_id])).status_code == 404
    assert "关于做好节前安全检查的通知" not in client.get(reverse("notices:list")).content.decode()
    assert count_one(selectors.unacknowledged_rows(city.civil_reader.id)) == 0
    assert not NoticeReading.objects.exists()
    assert (
        AuditEvent.objects.filter(event="notice.view", object_id=str(notice_id), result="denied").count() == 2
    )


def test_a_draft_is_invisible_to_readers(client, city):
    notice_id = services.create_notice(
        actor_id=city.market_publisher.id,
        draft=NoticeDraft(
            title="草稿",
            body="正文",
            department_id=city.market.pk,
            is_citywide=False,
            audience_ids=(city.market.pk,),
        ),
        idempotency_key="k1",
    )
    login_staff(client, city.market_reader)
    assert client.get(reverse("notices:detail", args=[notice_id])).status_code == 404


def test_a_citywide_notice_reaches_every_department(client, city):
    notice_id = publish(city.office_publisher, city.office, citywide=True, title="关于元旦放假的通知")
    for reader in (city.civil_reader, city.branch_reader, city.market_reader):
        assert count_one(selectors.unacknowledged_rows(reader.id)) == 1
    login_staff(client, city.civil_reader)
    assert "关于元旦放假的通知" in client.get(reverse("notices:detail", args=[notice_id])).content.decode()


def test_only_the_general_office_addresses_the_city_or_other_departments(city):
    draft = NoticeDraft(
        title="通知", body="正文", department_id=city.market.pk, is_citywide=True, audience_ids=()
    )
    with pytest.raises(NoticeError) as refused:
        services.create_notice(actor_id=city.market_publisher.id, draft=draft, idempotency_key="a")
    assert refused.value.field_errors == {"audience": "全市范围的通知只能由市政府办公室发布"}
    draft = NoticeDraft(
        title="通知",
        body="正文",
        department_id=city.market.pk,
        is_citywide=False,
        audience_ids=(city.civil.pk,),
    )
    with pytest.raises(NoticeError) as refused:
        services.create_notice(actor_id=city.market_publisher.id, draft=draft, idempotency_key="b")
    assert refused.value.field_errors == {"departments": "您只能向本部门及下属部门发布通知"}
    assert not Notice.objects.exists()


def test_a_reader_cannot_publish(city):
    draft = NoticeDraft(
        title="通知",
        body="正文",
        department_id=city.market.pk,
        is_citywide=False,
        audience_ids=(city.market.pk,),
    )
    with pytest.raises(NoticeError):
        services.create_notice(actor_id=city.market_reader.id, draft=draft, idempotency_key="c")
    assert not Notice.objects.exists()


def test_withdraw_keeps_the_notice_and_its_receipts(client, city):
    notice_id = publish(city.market_publisher, city.market, audience=[city.market])
    services.acknowledge_notice(reader_id=city.market_reader.id, notice_id=notice_id)
    with pytest.raises(NoticeError):
        services.withdraw_notice(actor_id=city.market_publisher.id, notice_id=notice_id, reason="  ")
    assert Notice.objects.get(pk=notice_id).status == NoticeStatus.PUBLISHED

    services.withdraw_notice(
        actor_id=city.market_publisher.id, notice_id=notice_id, reason="内容有误，将重新发布"
    )

    notice = Notice.objects.get(pk=notice_id)
    assert (notice.status, notice.withdraw_reason, notice.withdrawn_by_id) == (
        NoticeStatus.WITHDRAWN,
        "内容有误，将重新发布",
        city.market_publisher.id,
    )
    assert list(NoticeReading.objects.values_list("reader_id", flat=True)) == [city.market_reader.id]
    assert selectors.receipt_board(notice).read == 1
    login_staff(client, city.market_reader)
    assert selectors.notices_for(city.market_reader.id).rows == []
    page = client.get(reverse("notices:detail", args=[notice_id])).content.decode()
    assert "该通知已撤回" in page
    assert "内容有误，将重新发布" in page
    assert "请于本周五前完成安全检查" not in page


def test_withdraw_by_another_department_is_refused(city):
    notice_id = publish(city.market_publisher, city.market, audience=[city.market])
    from conftest import make_staff

    civil_publisher = make_staff("civil_pub", city.civil, "notice_publisher")
    with pytest.raises(NoticeError):
        services.withdraw_notice(actor_id=civil_publisher.id, notice_id=notice_id, reason="x")
    assert Notice.objects.get(pk=notice_id).status == NoticeStatus.PUBLISHED


def test_a_published_notice_is_not_edited(city):
    notice_id = publish(city.market_publisher, city.market, audience=[city.market])
    draft = NoticeDraft(
        title="改", body="改", department_id=city.market.pk, is_citywide=False, audience_ids=(city.market.pk,)
    )
    with pytest.raises(NoticeError):
        services.update_notice(actor_id=city.market_publisher.id, notice_id=notice_id, draft=draft)
    assert Notice.objects.get(pk=notice_id).title == "关于做好节前安全检查的通知"


def test_the_publisher_reads_a_notice_not_addressed_to_them_without_a_receipt(client, city):
    notice_id = publish(city.market_publisher, city.market, audience=[city.market_branch])
    login_staff(client, city.market_publisher)
    page = client.get(reverse("notices:detail", args=[notice_id])).content.decode()
    assert "请于本周五前完成安全检查" in page
    assert "已阅知</button>" not in page
    assert not NoticeReading.objects.exists()
    assert selectors.addressee_ids(Notice.objects.get(pk=notice_id)) == {city.branch_reader.id}
