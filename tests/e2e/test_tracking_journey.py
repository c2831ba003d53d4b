"""Issue 16's 督查督办 journey in a real browser: a leader's 批示 on a 收文 becomes a 督办事项 (立项督办 from
the 收文办理单, the form prefilled from the 批示); the 督查人员 交办; the lead department's 文书人员 signs
for it and gives two 阶段反馈 — the second a week late, flagged 逾期反馈; applies to close it; the
督查人员 approves; the board and the monthly 督办通报 (PDF) show it.

The clock is pinned to Monday 2 March 2026 (no holidays that month) and moved by time-machine, so the
weekly due dates are known: 9 and 16 March. Each person logs in afresh after the move (the server's
sessions run on the moved clock). The test's own data, not the demo city."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, has_sideways_scroll
from tongban.accounts.tests.helpers import login_staff
from tongban.documents.roles import DOCUMENT_CLERK
from tongban.documents.roles import SEEDED as DOCUMENT_ROLES
from tongban.documents.tests.incoming_helpers import office, signed_for, to_handling
from tongban.organizations.models import Role
from tongban.tracking.models import Feedback, TrackingItem
from tongban.tracking.roles import SEEDED as TRACKING_ROLES
from tongban.tracking.roles import TRACKING_OFFICER
from tongban.tracking.tests.pdf import pdf_text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
TITLE = "关于加快老旧小区改造的请示"


@pytest.fixture
def instructed(transactional_db):
    # The built-in roles are seeded by migrations; a flushed database lost them.
    for code, name, description in (*DOCUMENT_ROLES, *TRACKING_ROLES):
        Role.objects.update_or_create(
            code=code,
            defaults={"name": name, "description": description, "is_builtin": True, "is_active": True},
        )
    with time_machine.travel(START, tick=True):
        o = office()
        received = signed_for(o, title=TITLE)
        to_handling(o, received, days=20)  # 批示: 财政局 leads, 教育局 assists, 20 working days
    from conftest import make_staff

    officer = make_staff("duchaci", o.department, TRACKING_OFFICER)
    make_staff("duchaci", o.department, DOCUMENT_CLERK)  # the 督查室 does the office's 收发 too
    return o, received, officer


def _as(browser, live_server, user, width=1280):
    client = Client()
    login_staff(client, user)
    context = browser.new_context(
        locale="zh-CN", viewport={"width": width, "height": 1000}, accept_downloads=True
    )
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context, context.new_page()


TEXT = "main p, main li, main td, main th, main dd, main dt, main label, main legend, main a, main button, main .tag"


def _smallest_text(page) -> float:
    """The smallest font size, in px, of any text element in <main>."""
    return page.evaluate(
        "sel => Math.min(...[...document.querySelectorAll(sel)].map(e => parseFloat(getComputedStyle(e).fontSize)))",
        TEXT,
    )


def _accessible(page):
    assert axe_violations(page) == []
    assert not has_sideways_scroll(page)


def test_a_leaders_instruction_is_tracked_fed_back_late_closed_and_reported(browser, live_server, instructed):
    o, received, officer = instructed
    with time_machine.travel(START, tick=True) as clock:
        # 立项: from the 收文办理单, the form prefilled from the 批示.
        context, page = _as(browser, live_server, officer)
        page.goto(f"{live_server.url}/staff/received/{received.pk}/handling/")
        page.locator("#main").get_by_role("link", name="立项督办").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("立项督办")
        expect(page.get_by_label("督办事项")).to_have_value(TITLE)
        expect(page.get_by_label("督办要求")).to_have_value("同意，请财政局、教育局办理")
        expect(page.get_by_label("牵头单位")).to_have_value(str(o.handling_a.pk))
        expect(page.get_by_label("办理时限（工作日）")).to_have_value("20")
        _accessible(page)
        page.get_by_label("领导交办").check()
        page.get_by_label("每周反馈").check()
        page.get_by_role("button", name="立项").click()
        expect(page.get_by_role("status")).to_contain_text("已立项")
        item = TrackingItem.objects.get()
        assert (item.leader_id, item.source_kind, item.lead_department_id) == (
            o.signer.id,
            "received_document",
            o.handling_a.pk,
        )
        page.get_by_role("button", name="交办").click()
        expect(page.get_by_role("status")).to_contain_text("已交办")
        expect(page.locator("dl")).to_contain_text("2026年3月30日")
        context.close()

        # 签收 and the first 阶段反馈 (in time: due 9 March).
        context, page = _as(browser, live_server, o.clerk_a)
        page.goto(f"{live_server.url}/staff/tracking/")
        page.get_by_role("link", name=item.number).click()
        page.get_by_role("button", name="签收").click()
        expect(page.get_by_role("status")).to_contain_text("已签收")
        page.get_by_label("反馈内容").fill("已完成摸底调查，确定改造小区名单。")
        page.get_by_role("button", name="提交反馈").click()
        expect(page.get_by_role("status")).to_have_text("已提交阶段反馈。")
        _accessible(page)
        context.close()

        # Two weeks and two days on, the second feedback answers the one due 16 March: late.
        clock.move_to(dt.datetime(2026, 3, 18, 10, 0, tzinfo=SHANGHAI))
        context, page = _as(browser, live_server, o.clerk_a)
        page.goto(f"{live_server.url}/staff/tracking/{item.pk}/")
        page.get_by_label("反馈内容").fill("已开工30个小区。")
        page.get_by_role("button", name="提交反馈").click()
        expect(page.get_by_role("status")).to_contain_text("逾期反馈，应于2026年3月16日前反馈")
        expect(
            page.get_by_role("table").filter(has_text="反馈时间").locator("tbody tr").nth(1)
        ).to_contain_text("逾期反馈")
        assert list(Feedback.objects.order_by("pk").values_list("is_late", flat=True)) == [False, True]
        page.get_by_label("办理结果").fill("120个小区改造全部完工，已通过验收。")
        page.get_by_role("button", name="申请办结").click()
        expect(page.get_by_role("status")).to_contain_text("已申请办结")
        context.close()

        # 审核办结 by the 督查人员; the board and the 督办通报 show it.
        context, page = _as(browser, live_server, officer)
        page.goto(f"{live_server.url}/staff/tracking/{item.pk}/")
        page.get_by_label("同意办结").check()
        page.get_by_role("button", name="提交审核").click()
        expect(page.get_by_role("status")).to_have_text("已办结。")
        page.goto(f"{live_server.url}/staff/tracking/?show=closed")
        row = page.locator("tbody tr").filter(has_text=TITLE)
        expect(row).to_contain_text("已办结")
        expect(row).to_contain_text("市财政局")
        _accessible(page)
        page.goto(f"{live_server.url}/staff/tracking/report/?year=2026&month=3")
        expect(page.get_by_role("heading", level=1)).to_have_text("2026年3月督办通报")
        _accessible(page)
        with page.expect_download() as download:
            page.get_by_role("link", name="下载督办通报（PDF）").click()
        text = pdf_text(download.value.path().read_bytes())
        assert "2026年3月督办通报" in text
        assert TITLE in text
        assert "本月督办事项共1项，超期0项，本月办结1项，逾期反馈1次。" in text
        context.close()

        # The leader who instructed reads the item on a phone (390 px) in elder mode: nothing scrolls
        # sideways and no text in <main> is under 18 px.
        context, page = _as(browser, live_server, o.signer, width=390)
        page.goto(f"{live_server.url}/staff/tracking/{item.pk}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(page.locator("#main")).to_contain_text("已办结")
        expect(page.locator("dl")).to_contain_text("办结时间2026年3月18日")
        _accessible(page)
        page.get_by_role("link", name="长辈版").click()
        expect(page.locator("html")).to_have_class("elder")
        for url in (f"/staff/tracking/{item.pk}/", "/staff/tracking/?show=all"):
            page.goto(live_server.url + url)
            assert _smallest_text(page) >= 18, url
            _accessible(page)
        context.close()
