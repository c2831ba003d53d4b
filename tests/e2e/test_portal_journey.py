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


# Each page checked, with what proves it was rendered: its h1 and a piece of its own content (axe on
# an error page or an empty list would pass and prove nothing).
PORTAL_PAGES = (
    ("/", "云州市一网通办", "个人办事"),
    ("/search/?q=结婚", "搜索办事服务", "内地居民结婚登记"),
    ("/themes/?audience=natural", "个人办事", "婚姻登记"),
    ("/departments/", "部门服务", "云州市民政局"),
)
# Every piece of text in <main>: its font size in px (elder mode: none below 18).
TEXT_SIZES = """() => {
  const sizes = [];
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const element = walker.currentNode.parentElement;
    const text = walker.currentNode.textContent.trim();
    if (!text || !element.getClientRects().length) continue;
    if (element.closest(".visually-hidden")) continue;
    sizes.push([text.slice(0, 20), parseFloat(getComputedStyle(element).fontSize)]);
  }
  return sizes;
}"""


def assert_rendered(page, response, heading: str, content: str) -> None:
    assert response is not None, page.url
    assert response.status == 200, page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator("main")).to_contain_text(content)


@pytest.mark.parametrize("width", [390, 1280])
def test_portal_pages_pass_axe_without_sideways_scroll(page, live_server, demo_city, width):
    page.set_viewport_size({"width": width, "height": 900})
    for path, heading, content in PORTAL_PAGES:
        response = page.goto(live_server.url + path)
        assert_rendered(page, response, heading, content)
        assert axe_violations(page) == [], path
        assert not has_sideways_scroll(page), path
    page.goto(live_server.url + "/search/?q=结婚登记")
    page.get_by_role("link", name="内地居民结婚登记").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("内地居民结婚登记")
    expect(page.get_by_role("heading", name="办理流程")).to_be_visible()
    assert axe_violations(page) == []
    assert not has_sideways_scroll(page)


@pytest.mark.parametrize("javascript", [True, False])
def test_elder_mode_enlarges_every_text_with_and_without_javascript(
    browser, live_server, demo_city, javascript
):
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": 390, "height": 900}, locale="zh-CN"
    )
    page = context.new_page()
    page.goto(live_server.url + "/search/?q=结婚")
    page.get_by_role("link", name="长辈版").click()
    expect(page.locator("html")).to_have_class("elder")
    # The search results and a theme's items carry the 全程网办 / 到现场次数 tags.
    page.goto(live_server.url + "/themes/?audience=natural")
    page.get_by_role("link", name=re.compile("^婚姻登记")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("婚姻登记")
    for url in (live_server.url + "/search/?q=结婚", page.url):
        response = page.goto(url)
        assert response is not None, url
        assert response.status == 200, url
        expect(page.locator("main")).to_contain_text("内地居民结婚登记")
        expect(page.locator("main .tag").first).to_be_visible()
        sizes = page.evaluate(TEXT_SIZES)
        assert len(sizes) > 10, url
        assert [(text, size) for text, size in sizes if size < 18] == [], url
        if javascript:
            assert axe_violations(page) == []
        assert not has_sideways_scroll(page)
    context.close()
