"""Issue 17's 主动公开 journey in a real browser: the editor drafts an item whose body holds a resident ID
number; 送审 is refused with the finding listed; the editor masks it and submits; the 保密审查员 and the
公开审核领导 approve on their task pages; the item appears in the public catalogue's search and in the
RSS feed. Pages are checked with axe at 1280 px and the catalogue at 390 px too."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, has_sideways_scroll
from tongban.accounts.tests.helpers import login_staff
from tongban.disclosure.models import DisclosureItem
from tongban.disclosure.roles import SEEDED as DISCLOSURE_ROLES
from tongban.disclosure.tests.helpers import RESIDENT_ID, city
from tongban.organizations.models import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "关于对无证经营餐饮店行政处罚的公示"


@pytest.fixture
def people(transactional_db):
    # The built-in roles are seeded by migrations; a flushed database lost them.
    for code, name, description in DISCLOSURE_ROLES:
        Role.objects.update_or_create(
            code=code,
            defaults={"name": name, "description": description, "is_builtin": True, "is_active": True},
        )
    return city()


def _as(browser, live_server, user, width=1280):
    client = Client()
    login_staff(client, user)
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 1000})
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context, context.new_page()


def _accessible(page):
    assert axe_violations(page) == []
    assert not has_sideways_scroll(page)


def test_disclosure_publish_journey(browser, live_server, people):
    c = people
    # 1. The editor drafts an item with a resident ID in its body.
    context, page = _as(browser, live_server, c.editor)
    page.goto(f"{live_server.url}/staff/disclosure/new/")
    _accessible(page)
    page.get_by_label("公开目录").select_option(label="其他")
    page.get_by_label("标题", exact=True).fill(TITLE)
    page.get_by_label("正文", exact=True).fill(
        f"当事人张某（身份证号码{RESIDENT_ID}）未取得食品经营许可从事餐饮服务，处罚款五千元。"
    )
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("#findings")).to_contain_text("1101**********4514")
    _accessible(page)

    # 2. 送审 is refused while the ID is in the text.
    page.get_by_role("link", name="办理：拟稿").click()
    page.get_by_role("button", name="送审").click()
    expect(page.locator(".error-summary")).to_contain_text("发现个人信息或敏感词")
    assert DisclosureItem.objects.get().status == "draft"
    _accessible(page)

    # 3. Masked, then submitted.
    page.get_by_role("button", name="遮盖标题和正文中的个人信息").click()
    expect(page.locator("#findings")).to_contain_text("未发现个人信息或敏感词")
    page.get_by_role("link", name="办理：拟稿").click()
    page.get_by_role("button", name="送审").click()
    expect(page.locator(".messages")).to_contain_text("已送审")
    context.close()

    # 4. The 保密审查员 approves.
    context, page = _as(browser, live_server, c.reviewer)
    item = DisclosureItem.objects.get()
    page.goto(f"{live_server.url}/staff/disclosure/{item.pk}/")
    page.get_by_role("link", name="办理：保密审查").click()
    _accessible(page)
    page.get_by_role("button", name="审查通过").click()
    expect(page.locator(".messages")).to_contain_text("保密审查已通过")
    context.close()

    # 5. The 公开审核领导 approves: published.
    context, page = _as(browser, live_server, c.approver)
    page.goto(f"{live_server.url}/staff/disclosure/{item.pk}/")
    page.get_by_role("link", name="办理：领导审核").click()
    page.get_by_role("button", name="审核通过并发布").click()
    expect(page.locator(".messages")).to_contain_text("已发布")
    context.close()
    item.refresh_from_db()
    assert item.status == "published"
    assert RESIDENT_ID not in item.body

    # 6. The public finds it by search and in the RSS feed.
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/disclosure/")
    page.get_by_label("搜索公开信息").fill("无证经营")
    page.locator("main").get_by_role("button", name="搜索").click()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    _accessible(page)
    page.get_by_role("link", name=TITLE).click()
    expect(page.locator("main")).to_contain_text(item.index_number)
    expect(page.locator("main")).to_contain_text("1101**********4514")
    _accessible(page)
    rss = page.request.get(f"{live_server.url}/disclosure/rss/").text()
    assert TITLE in rss
    context.close()

    # 7. The 政务公开管理员's timeliness board and monthly report (with its 季点评) are accessible.
    context, page = _as(browser, live_server, c.admin)
    page.goto(f"{live_server.url}/staff/disclosure/timeliness/")
    _accessible(page)
    page.goto(f"{live_server.url}/staff/disclosure/report/")
    expect(page.locator("main")).to_contain_text("云州市市场监督管理局")
    page.get_by_label("云州市市场监督管理局的季点评").fill("发布及时，个人信息处理规范。")
    page.get_by_role("button", name="保存点评").first.click()
    expect(page.locator(".messages")).to_contain_text("已保存季点评")
    _accessible(page)
    context.close()
