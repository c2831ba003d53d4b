"""正文 in a real browser: the drafter types into the editor and saves version 1, a reviewer changes a
sentence (version 2), and the 修订 page shows the reviewer's marks and the clean text — without axe
violations, sideways scroll, inline-script (CSP) errors or requests to other hosts."""

import pytest
from conftest import make_staff
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, has_sideways_scroll
from tongban.accounts.tests.helpers import login_staff
from tongban.documents.models import BodyVersion
from tongban.documents.roles import DOCUMENT_REVIEWER
from tongban.documents.tests.body_helpers import open_review
from tongban.documents.tests.factories import OfficialDocumentFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _as(browser, live_server, user, width):
    client = Client()
    login_staff(client, user)
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    csp_errors: list[str] = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    return context, page, csp_errors


def _clean(page, csp_errors):
    assert not has_sideways_scroll(page)
    assert axe_violations(page) == []
    assert csp_errors == []


def test_a_reviewers_change_shows_as_marks_against_the_draft(browser, live_server, foreign_requests):
    document = OfficialDocumentFactory()
    reviewer = make_staff("核稿人", document.drafting_department, DOCUMENT_REVIEWER)
    body_url = f"{live_server.url}/staff/documents/{document.pk}/body/"

    context, page, csp_errors = _as(browser, live_server, document.drafter, 1280)
    page.goto(body_url)
    editor = page.locator(".ql-editor")
    expect(editor).to_be_visible()
    expect(page.locator("#id_html")).to_be_hidden()
    _clean(page, csp_errors)
    editor.click()
    page.keyboard.type("各区人民政府：")
    page.keyboard.press("Enter")
    page.keyboard.type("为加强安全生产工作，现将有关事项通知如下。")
    page.get_by_label("段落格式").select_option(label="正文段落")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已保存正文（第1版）")
    expect(page.locator(".ql-editor p").nth(1)).to_have_text("为加强安全生产工作，现将有关事项通知如下。")
    _clean(page, csp_errors)
    context.close()
    assert list(BodyVersion.objects.filter(document=document).values_list("number", "html")) == [
        (1, "<p>各区人民政府：</p><p>为加强安全生产工作，现将有关事项通知如下。</p>")
    ]

    open_review(document)
    context, page, csp_errors = _as(browser, live_server, reviewer, 390)
    page.goto(body_url)
    second = page.locator(".ql-editor p").nth(1)
    expect(second).to_have_text("为加强安全生产工作，现将有关事项通知如下。")
    _clean(page, csp_errors)
    # 长辈版: larger text, the same editor.
    page.goto(f"{live_server.url}/elder/?on=1&next=/staff/documents/{document.pk}/body/")
    expect(page.locator("html")).to_have_class("elder")
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.ql-editor')).fontSize)") >= 18
    _clean(page, csp_errors)
    # Select the word 加强 (after 为, on the paragraph's first line) and type over it.
    second.click(position={"x": 2, "y": 5})
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.type("进一步做好")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已保存正文（第2版）")
    page.get_by_role("link", name="查看修订（共2版）").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("正文修订")
    expect(page.get_by_role("heading", name="第2版：核稿人")).to_be_visible()
    version = page.locator("section.revision-version").first
    expect(version.locator("del")).to_have_text("删除：加强")
    expect(version.locator("ins")).to_have_text("插入：进一步做好")
    assert version.locator("ins").get_attribute("title").startswith("核稿人 ")
    _clean(page, csp_errors)
    page.get_by_role("link", name="清稿").click()
    expect(page.get_by_role("heading", name="清稿（第2版）")).to_be_visible()
    expect(page.locator(".document-body")).to_have_text(
        "各区人民政府：为进一步做好安全生产工作，现将有关事项通知如下。"
    )
    expect(page.locator(".document-body ins")).to_have_count(0)
    _clean(page, csp_errors)
    context.close()
    assert foreign_requests == []
