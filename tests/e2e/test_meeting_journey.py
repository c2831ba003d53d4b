"""会议 in a real browser: the organiser books a room (the error summary first), adds a colleague and
sends the 会议通知; the colleague replies 参加 on a phone and later signs in through the door's QR link —
every page without axe violations and without sideways scroll at 390 px."""

import datetime as dt

import pytest
from conftest import make_staff
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, has_sideways_scroll
from tongban.accounts.tests.helpers import login_staff
from tongban.meetings.models import Invitation
from tongban.meetings.tests.helpers import room

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _phone(browser, live_server, user):
    client = Client()
    login_staff(client, user)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 900})
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context, context.new_page()


def _clean(page):
    assert not has_sideways_scroll(page)
    assert axe_violations(page) == []


def test_a_room_is_booked_the_notice_answered_and_the_attendee_signs_in(browser, live_server, department):
    organiser = make_staff("organiser", department, "clerk")
    attendee = make_staff("attendee", department, "clerk")
    room(department, name="第一会议室", capacity=20)
    # Within the sign-in window (it opens 30 minutes before the start), so the QR link works today.
    start = (timezone.localtime() + dt.timedelta(minutes=20)).replace(second=0, microsecond=0)
    end = start + dt.timedelta(minutes=40)

    context, page = _phone(browser, live_server, organiser)
    page.goto(f"{live_server.url}/staff/meetings/new/")
    _clean(page)
    page.get_by_label("会议名称").fill("安全生产工作会")
    page.get_by_role("button", name="预订并创建会议").click()
    assert page.title().startswith("错误：预订会议室")
    expect(page.get_by_role("alert")).to_contain_text("请输入主持人")
    _clean(page)
    page.get_by_label("主持人").fill("王局长")
    page.locator("#id_day").fill(str(start.year))
    page.locator("#id_day_month").fill(str(start.month))
    page.locator("#id_day_day").fill(str(start.day))
    page.get_by_label("开始时间").fill(f"{start:%H:%M}")
    page.get_by_label("结束时间").fill(f"{end:%H:%M}")
    page.get_by_label("会议室").select_option(label="第一会议室（市政府1号楼3楼，20人）")
    page.get_by_label("参会人数").fill("6")
    page.get_by_role("button", name="预订并创建会议").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("安全生产工作会")
    _clean(page)
    page.get_by_label("attendee").check()
    page.get_by_role("button", name="添加", exact=True).click()
    page.get_by_role("button", name="发送会议通知").click()
    expect(page.get_by_role("status")).to_contain_text("会议通知已发送，已通知1人")
    _clean(page)
    page.get_by_role("link", name="签到二维码").click()
    expect(page.get_by_role("img", name="安全生产工作会签到二维码")).to_be_visible()
    _clean(page)
    sign_in_url = page.locator("a.long-link").get_attribute("href")
    context.close()

    context, page = _phone(browser, live_server, attendee)
    page.goto(f"{live_server.url}/staff/meetings/")
    _clean(page)
    page.get_by_role("link", name="安全生产工作会").click()
    page.get_by_label("参加", exact=True).check()
    page.get_by_role("button", name="提交回复").click()
    expect(page.get_by_role("status")).to_contain_text("已回复：参加")
    _clean(page)
    page.goto(sign_in_url)
    _clean(page)
    page.get_by_role("button", name="签到").click()
    expect(page.get_by_role("heading", name="签到成功")).to_be_visible()
    _clean(page)
    context.close()

    invitation = Invitation.objects.get(user_id=attendee.id)
    assert (invitation.reply, invitation.sign_in_method) == ("attend", "qr")
    assert invitation.signed_in_at is not None
