"""A citizen finds 结婚登记, reads its guide and downloads its form; the pages pass axe at phone and
desktop widths and in elder mode."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, has_sideways_scroll
from tongban.demo.loader import load_demo_city

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_city(transactional_db):
    return load_demo_city(with_accounts=False)


def test_citizen_finds_marriage_registration_reads_the_guide_and_downloads_the_form(
    page, live_server, demo_city, foreign_requests, tmp_path
):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox", name="您要办什么事").fill("结婚登记")
    page.get_by_role("searchbox", name="您要办什么事").press("Enter")

    page.get_by_role("link", name="内地居民结婚登记").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("内地居民结婚登记")
    expect(page.get_by_role("heading", name="申请材料")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"下载空白表格\s*：申请结婚登记声明书")).click()
    download = download_info.value
    assert download.suggested_filename == "申请结婚登记声明书（空白表格）.pdf"
    saved = tmp_path / "form.pdf"
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    assert foreign_requests == []


@pytest.mark.parametrize("width", [390, 1280])
def test_portal_pages_pass_axe_without_sideways_scroll(page, live_server, demo_city, width):
    page.set_viewport_size({"width": width, "height": 900})
    for path in ("/", "/search/?q=结婚", "/themes/?audience=natural", "/departments/"):
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path
        assert not has_sideways_scroll(page), path
    page.goto(live_server.url + "/search/?q=结婚登记")
    page.get_by_role("link", name="内地居民结婚登记").click()
    assert axe_violations(page) == []
    assert not has_sideways_scroll(page)


@pytest.mark.parametrize("javascript", [True, False])
def test_elder_mode_enlarges_text_with_and_without_javascript(browser, live_server, demo_city, javascript):
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": 390, "height": 900}, locale="zh-CN"
    )
    page = context.new_page()
    page.goto(live_server.url + "/search/?q=结婚")
    page.get_by_role("link", name="长辈版").click()
    expect(page.locator("html")).to_have_class("elder")
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)")
    assert size >= 18
    if javascript:
        assert axe_violations(page) == []
    assert not has_sideways_scroll(page)
    context.close()
