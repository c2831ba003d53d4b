"""Issue 17's 12345 journey in a real browser: a citizen submits a complaint on the portal; the
dispatcher sees the category the classifier suggests (trained here from the demo corpus) and the
district department the routing rule picks, and dispatches it; that department returns it (退单)
with a reason; the dispatcher re-dispatches it to the right district (the override recorded); that
department signs for it and replies within the limit; the dispatcher closes it; the citizen rates it
and agrees to publish; the public board shows it with the phone number and the name masked.

The clock is pinned to Monday 2 March 2026 (no holidays that month). The test's own data, not the
demo city."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, has_sideways_scroll
from tongban.accounts.tests.helpers import login_staff
from tongban.demo.hotline_corpus import labelled_orders
from tongban.hotline import classifier
from tongban.hotline.models import DispatchDecision, WorkOrder
from tongban.hotline.tests.helpers import PASSWORD, make_city

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
TITLE = "超市销售过期牛奶拒绝退款"
CONTENT = "桃源路58号的惠民超市卖过期牛奶，我买的两盒牛奶已经过期五天，商家拒绝退款。请市场监管部门查处。我的电话13912345678。"


@pytest.fixture
def city(transactional_db):
    c = make_city()
    classifier.forget_cached_model()
    report = classifier.train((o.text, o.category_code) for o in labelled_orders())
    assert report.trained_on > 900
    yield c
    classifier.forget_cached_model()


def _context(browser, live_server, client: Client, width=1280):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 1000})
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context, context.new_page()


def _staff(browser, live_server, user):
    client = Client()
    login_staff(client, user)
    return _context(browser, live_server, client)


def _citizen(browser, live_server, user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return _context(browser, live_server, client)


def _accessible(page):
    assert axe_violations(page) == []
    assert not has_sideways_scroll(page)


def test_a_complaint_is_routed_returned_redispatched_answered_rated_and_published(browser, live_server, city):
    c = city
    with time_machine.travel(START, tick=True) as clock:
        # The citizen submits a complaint (the region chosen wrongly: 锦江区).
        context, page = _citizen(browser, live_server, c.citizen)
        page.goto(f"{live_server.url}/hotline/new/")
        page.get_by_label("投诉").check()
        page.get_by_label("标题").fill(TITLE)
        page.get_by_label("诉求内容").fill(CONTENT)
        page.get_by_label("所在区域").select_option(label="锦江区")
        page.get_by_label("详细地址（选填）").fill("桃源路58号")
        page.get_by_label("同意在公开栏公开").check()
        _accessible(page)
        page.get_by_role("button", name="提交").click()
        expect(page.get_by_role("status")).to_contain_text("您的诉求已提交")
        expect(page.locator("main")).to_contain_text("待受理")
        order = WorkOrder.objects.get()
        assert order.suggested_category.code == "market"
        context.close()

        # The dispatcher accepts it; the suggested category and the rule's department are pre-selected.
        context, page = _staff(browser, live_server, c.dispatcher)
        page.goto(f"{live_server.url}/staff/hotline/")
        page.get_by_role("link", name=order.number).click()
        page.get_by_role("button", name="受理").click()
        expect(page.get_by_role("status")).to_contain_text("已受理")
        expect(page.locator("dl")).to_contain_text("系统建议：市场监管")
        expect(page.get_by_label("诉求分类")).to_have_value(str(c.category("market").pk))
        expect(page.get_by_label("承办单位", exact=True)).to_have_value(str(c.jinjiang_market.pk))
        _accessible(page)
        page.get_by_role("button", name="派单").click()
        expect(page.get_by_role("status")).to_contain_text("已派单")
        context.close()

        # 锦江区市场监管局 returns it: the shop is in 青山区.
        context, page = _staff(browser, live_server, c.jinjiang_handler)
        page.goto(f"{live_server.url}/staff/hotline/department/")
        page.get_by_role("link", name=order.number).click()
        page.get_by_role("button", name="退单").click()
        expect(page.locator(".error-summary")).to_contain_text("请输入退单理由")
        page.get_by_label("退单理由").fill("桃源路位于青山区，不属本局辖区")
        page.get_by_role("button", name="退单").click()
        expect(page.get_by_role("status")).to_contain_text("已退单")
        context.close()

        # The dispatcher re-dispatches it to 青山区市场监管局 (an override of the rule, recorded).
        context, page = _staff(browser, live_server, c.dispatcher)
        page.goto(f"{live_server.url}/staff/hotline/?tab=returned")
        page.get_by_role("link", name=order.number).click()
        expect(page.locator(".timeline")).to_contain_text("桃源路位于青山区，不属本局辖区")
        page.get_by_label("承办单位", exact=True).select_option(str(c.qingshan_market.pk))
        page.get_by_label("派单说明（选填）").fill("按实际地址派青山区")
        page.get_by_role("button", name="派单").click()
        expect(page.get_by_role("status")).to_contain_text("已派单")
        last = DispatchDecision.objects.order_by("pk").last()
        assert (last.department_overridden, last.chosen_department_id) == (True, c.qingshan_market.pk)
        context.close()

        # Two hours later 青山区市场监管局 signs for it and replies the next day, within the limit.
        clock.move_to(START + dt.timedelta(hours=2))
        context, page = _staff(browser, live_server, c.qingshan_handler)
        page.goto(f"{live_server.url}/staff/hotline/department/")
        page.get_by_role("link", name=order.number).click()
        page.get_by_role("button", name="签收").click()
        expect(page.get_by_role("status")).to_contain_text("已签收")
        context.close()
        clock.move_to(START + dt.timedelta(days=1))
        context, page = _staff(browser, live_server, c.qingshan_handler)
        page.goto(f"{live_server.url}/staff/hotline/orders/{order.pk}/")
        page.get_by_label("答复意见").fill(
            "经现场检查，该超市确有销售过期牛奶行为，已责令下架、立案调查，商家已为李四办理退款。"
        )
        page.get_by_role("button", name="提交回复").click()
        expect(page.get_by_role("status")).to_contain_text("已回复")
        context.close()
        order.refresh_from_db()
        assert order.replied_at <= order.due_at

        # The dispatcher reviews the reply and closes the order.
        context, page = _staff(browser, live_server, c.dispatcher)
        page.goto(f"{live_server.url}/staff/hotline/?tab=replied")
        page.get_by_role("link", name=order.number).click()
        page.get_by_label("同意办结").check()
        page.get_by_role("button", name="提交审核").click()
        expect(page.get_by_role("status")).to_contain_text("已办结")
        context.close()

        # The citizen reads the reply and rates it 满意, agreeing to publish.
        context, page = _citizen(browser, live_server, c.citizen)
        page.goto(f"{live_server.url}/hotline/mine/")
        page.get_by_role("link", name=order.number).click()
        expect(page.locator("main")).to_contain_text("已责令下架")
        page.get_by_label("满意", exact=True).check()
        expect(page.get_by_label("同意在公开栏公开")).to_be_checked()
        _accessible(page)
        page.get_by_role("button", name="提交评价").click()
        expect(page.get_by_role("status")).to_contain_text("感谢您的评价")
        expect(page.locator("main")).to_contain_text("您的评价：满意")
        context.close()

        # The public board shows it, the phone number and the name masked.
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        page.goto(f"{live_server.url}/hotline/board/")
        entry = page.locator("article").filter(has_text=TITLE)
        expect(entry).to_contain_text("139****5678")
        expect(entry).to_contain_text("诉求人：李*")
        expect(entry).to_contain_text("青山区市场监督管理局")
        expect(entry).not_to_contain_text("13912345678")
        expect(entry).not_to_contain_text("李四")
        _accessible(page)
        context.close()
