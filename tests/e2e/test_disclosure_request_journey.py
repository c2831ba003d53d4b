"""Issue 17's 依申请公开 journey in a real browser: a citizen applies for disclosure and gets the receipt
number and the legal due date; the handler asks for the one extension, the approver approves it and the
citizen sees the 延期答复告知书; the handler uploads a PDF holding an ID number and a phone number,
previews the redacted PDF, confirms it and answers 部分公开; the approver signs off; the citizen downloads
the sealed 告知书 (the seal verifies) and the redacted file (no ID number, no phone); the department's
annual report counts the request under 部分公开 and 自然人.

The clock is pinned to Monday 2 March 2026: the due date is 30 March, 28 April once extended (the
Qingming holiday, 4–6 April, does not count). The test's own data, not the demo city."""

import datetime as dt
import importlib
import zoneinfo

import pytest
import time_machine
from django.apps import apps as django_apps
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, has_sideways_scroll
from tongban.accounts.tests.helpers import login_staff
from tongban.core.calendar import seed_year
from tongban.disclosure_requests.models import DisclosureRequest
from tongban.disclosure_requests.tests.helpers import (
    ID_NUMBER,
    PASSWORD,
    PHONE,
    SAMPLE_LINES,
    setup,
    text_pdf,
)
from tongban.documents.sealing import verify_pdf_seal
from tongban.tracking.tests.pdf import pdf_text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
DESCRIPTION = "2025年全市食品安全抽检不合格产品的处置情况"


@pytest.fixture
def people(transactional_db):
    # The roles and the default redaction rules are seeded by migrations; a flushed database lost them.
    importlib.import_module("tongban.disclosure_requests.migrations.0002_seed_roles").seed(django_apps, None)
    importlib.import_module("tongban.organizations.migrations.0005_seed_builtin_roles").seed(
        django_apps, None
    )
    seed_year(2026)
    return setup()


def _context(browser, live_server, client: Client):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 1000}, accept_downloads=True
    )
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context, context.new_page()


def _as_staff(browser, live_server, user):
    client = Client()
    login_staff(client, user)
    return _context(browser, live_server, client)


def _as_citizen(browser, live_server, user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return _context(browser, live_server, client)


def _accessible(page):
    assert axe_violations(page) == []
    assert not has_sideways_scroll(page)


def _download(page, link_name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    with open(info.value.path(), "rb") as f:
        return f.read()


def test_a_citizen_applies_the_department_extends_answers_partly_and_the_report_counts_it(
    browser, live_server, people, tmp_path
):
    s = people
    with time_machine.travel(START, tick=True):
        # The citizen applies.
        context, page = _as_citizen(browser, live_server, s.citizen)
        page.goto(f"{live_server.url}/disclosure-requests/apply/")
        expect(page.get_by_role("heading", level=1)).to_have_text("申请政府信息公开")
        _accessible(page)
        page.get_by_role("button", name="提交申请").click()
        expect(page.get_by_role("alert")).to_contain_text("请选择受理申请的机关")
        page.get_by_label("向哪个机关申请").select_option(str(s.department.pk))
        page.get_by_label("所需政府信息的名称、文号或者便于查询的其他特征性描述").fill(DESCRIPTION)
        page.get_by_role("button", name="提交申请").click()
        expect(page.get_by_role("status")).to_contain_text("申请已提交")
        request = DisclosureRequest.objects.get()
        expect(page.get_by_role("heading", level=1)).to_contain_text(request.number)
        expect(page.locator("dl")).to_contain_text("2026年3月30日")
        _accessible(page)

        # The handler takes it up and asks for the one extension.
        handler_context, handler = _as_staff(browser, live_server, s.handler)
        handler.goto(f"{live_server.url}/staff/disclosure-requests/")
        handler.get_by_role("link", name=request.number).click()
        handler.get_by_role("button", name="受理").click()
        expect(handler.get_by_role("status")).to_contain_text("已受理")
        handler.get_by_label("延期理由").fill("需要汇总各区县的处置记录")
        handler.get_by_role("button", name="提交延期申请").click()
        expect(handler.get_by_role("status")).to_contain_text("延期申请已提交审批")

        # The approver approves it; the applicant sees the notice and the new due date.
        approver_context, approver = _as_staff(browser, live_server, s.approver)
        approver.goto(f"{live_server.url}/staff/disclosure-requests/{request.pk}/")
        approver.get_by_role("button", name="批准延期").click()
        expect(approver.get_by_role("status")).to_contain_text("已批准延期")
        expect(approver.locator("dl")).to_contain_text("2026年4月28日")
        page.reload()
        expect(page.locator("dl")).to_contain_text("2026年4月28日")
        expect(page.locator("#main")).to_contain_text("政府信息公开申请延期答复告知书")
        notice = _download(page, "下载政府信息公开申请延期答复告知书")
        assert verify_pdf_seal(notice).valid

        # The handler uploads the file, previews the redaction, confirms and answers 部分公开.
        source = tmp_path / "处置情况.pdf"
        source.write_bytes(text_pdf(SAMPLE_LINES))
        handler.reload()
        handler.get_by_label("上传拟公开的文件（含文字的 PDF、DOCX 或 TXT，小于20MB）").set_input_files(
            str(source)
        )
        handler.get_by_role("button", name="上传并遮蔽").click()
        expect(handler.get_by_role("status")).to_contain_text("文件已遮蔽")
        expect(handler.locator("#main")).to_contain_text("身份证号码：遮蔽1处")
        expect(handler.locator("#main")).to_contain_text("手机号码：遮蔽1处")
        preview = pdf_text(_download(handler, "预览遮蔽后的文件"))
        assert ID_NUMBER not in preview
        assert PHONE not in preview
        assert "[已删除]" in preview
        handler.get_by_role("button", name="确认遮蔽版本").click()
        expect(handler.get_by_role("status")).to_contain_text("已确认遮蔽版本")
        handler.get_by_label("部分公开").check()
        handler.get_by_label("不予公开（或部分不予公开）的法律依据").select_option("third_party")
        handler.get_by_label("答复说明").fill("涉及个人信息的内容已作遮蔽处理。")
        handler.get_by_role("button", name="提交审核签发").click()
        expect(handler.get_by_role("status")).to_contain_text("答复已提交审核签发")
        _accessible(handler)

        # The approver signs off: the 告知书 is sealed and delivered.
        approver.reload()
        approver.get_by_role("button", name="审核签发").click()
        expect(approver.get_by_role("status")).to_contain_text("已签发")

        # The applicant downloads the sealed 告知书 and the redacted file.
        page.reload()
        expect(page.locator("dl")).to_contain_text("部分公开")
        _accessible(page)
        answer = _download(page, "下载答复告知书（已加盖电子印章）")
        check = verify_pdf_seal(answer)
        assert (check.valid, check.signer) == (True, s.department.name)
        assert "区分处理后予以公开" in pdf_text(answer)
        released = pdf_text(_download(page, "下载 处置情况（公开版）.pdf"))
        assert ID_NUMBER not in released
        assert PHONE not in released
        assert "抽检合格率98.5%" in released

        # The annual report counts it under 部分公开 and 自然人.
        approver.goto(f"{live_server.url}/staff/disclosure-requests/reports/")
        approver.get_by_label("报告主体").select_option(str(s.department.pk))
        approver.get_by_label("年度").fill("2026")
        approver.get_by_role("button", name="生成报告草稿").click()
        row = approver.locator("#application-table tr", has_text="（二）部分公开")
        expect(row.locator("td").nth(0)).to_have_text("1")  # 自然人
        expect(row.locator("td").nth(6)).to_have_text("1")  # 总计
        new = approver.locator("#application-table tr", has_text="一、本年新收政府信息公开申请数量")
        expect(new.locator("td").nth(0)).to_have_text("1")
        _accessible(approver)
        for c in (context, handler_context, approver_context):
            c.close()
