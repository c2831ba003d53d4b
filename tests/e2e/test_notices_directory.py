"""通知公告 and 通讯录 on a phone (390 px), as a civil servant starts the day: the workbench home shows
the notice waiting for a receipt, the notice page takes 已阅知 with a tap, and the directory opens a
department and finds a colleague by pinyin initials, showing a mobile number only where its owner
allows it. Every page: no sideways scroll, zero axe violations, 长辈版 text ≥ 18 px."""

import uuid

import pytest
from conftest import PASSWORD
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, has_sideways_scroll
from tongban.accounts.services import ensure_user
from tongban.accounts.tests.helpers import login_staff
from tongban.notices import services as notice_services
from tongban.notices.types import NoticeDraft
from tongban.organizations.services import assign_role, update_my_directory_entry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SHOWN, HIDDEN = "13900000111", "13900000101"


@pytest.fixture
def bureau(transactional_db, department):
    people = {}
    for username, name, role, position, mobile, shown in (
        ("market_doc_clerk", "许文", "notice_publisher", "办公室科员", "", False),
        ("market_clerk", "赵敏", "clerk", "行政审批科科员", SHOWN, True),
        ("market_doc_signer", "沈涛", "department_head", "副局长", HIDDEN, False),
    ):
        user = ensure_user(username=username, full_name=name, kind="staff", password=PASSWORD)
        assign_role(user_id=user.id, department_id=department.pk, role=role)
        update_my_directory_entry(
            user_id=user.id,
            position=position,
            office_phone="0999-83120011",
            mobile=mobile,
            shows_mobile=shown,
        )
        people[username] = user
    notice_id = notice_services.create_notice(
        actor_id=people["market_doc_clerk"].id,
        draft=NoticeDraft(
            title="关于做好节前食品安全监督抽检工作的通知",
            body="局属各科室：\n\n请于12月25日前完成重点单位的监督抽检。",
            department_id=department.pk,
            is_citywide=False,
            audience_ids=(department.pk,),
            requires_receipt=True,
        ),
        idempotency_key=uuid.uuid4().hex,
    )
    notice_services.publish_notice(actor_id=people["market_doc_clerk"].id, notice_id=notice_id)
    return people


def _phone_page(browser, live_server, user, *, elder: bool = False):
    client = Client()
    login_staff(client, user)
    context = browser.new_context(locale="zh-CN", viewport=PHONE, has_touch=True, is_mobile=True)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    cookies = [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
    if elder:
        cookies.append({"name": "tongban_elder", "value": "1", "url": live_server.url})
    context.add_cookies(cookies)
    return context, context.new_page()


def _check(page, *, elder: bool = False) -> None:
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert not has_sideways_scroll(page), page.url
    assert axe_violations(page) == [], page.url
    if elder:
        sizes = page.evaluate(
            "() => [...document.querySelectorAll('main p, main li, main a, main summary')]"
            ".map(e => parseFloat(getComputedStyle(e).fontSize))"
        )
        assert min(sizes) >= 18, page.url


@pytest.mark.parametrize("elder", [False, True])
def test_a_clerk_confirms_a_notice_and_finds_a_colleague_on_a_phone(browser, live_server, bureau, elder):
    context, page = _phone_page(browser, live_server, bureau["market_clerk"], elder=elder)
    page.goto(f"{live_server.url}/staff/")
    to_read = page.get_by_role("region", name="待阅")
    expect(to_read.get_by_role("link", name="待阅知的通知 1件")).to_be_visible()
    _check(page, elder=elder)

    page.get_by_role("region", name="通知公告").get_by_role(
        "link", name="关于做好节前食品安全监督抽检工作的通知"
    ).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("关于做好节前食品安全监督抽检工作的通知")
    _check(page, elder=elder)
    page.get_by_role("button", name="已阅知").tap()
    expect(page.get_by_text("已确认阅知。")).to_be_visible()
    expect(page.get_by_role("button", name="已阅知")).to_have_count(0)

    page.goto(f"{live_server.url}/staff/directory/")
    expect(page.get_by_role("heading", level=1)).to_have_text("通讯录")
    page.locator("summary").first.tap()
    people = page.locator(".directory-people").first
    expect(people).to_contain_text("沈涛")
    expect(people).to_contain_text(SHOWN)
    expect(people).not_to_contain_text(HIDDEN)
    _check(page, elder=elder)

    page.get_by_label("搜索通讯录").fill("st")
    page.get_by_role("button", name="搜索").tap()
    results = page.locator("#directory-results")
    expect(results).to_contain_text("沈涛")
    expect(results).not_to_contain_text(HIDDEN)
    _check(page, elder=elder)
    context.close()


def test_the_publisher_sees_who_confirmed_on_a_phone(browser, live_server, bureau):
    reader = bureau["market_clerk"]
    from tongban.notices.models import Notice

    notice = Notice.objects.get()
    notice_services.acknowledge_notice(reader_id=reader.id, notice_id=notice.pk)
    context, page = _phone_page(browser, live_server, bureau["market_doc_clerk"])
    page.goto(f"{live_server.url}/staff/notices/manage/")
    expect(page.get_by_role("heading", level=1)).to_have_text("通知管理")
    _check(page)
    page.get_by_role("link", name="关于做好节前食品安全监督抽检工作的通知").tap()
    expect(page.get_by_text("共3人，已阅1人。")).to_be_visible()
    _check(page)
    page.get_by_role("button", name="催阅未阅知的人").tap()
    expect(page.get_by_text("已向2人发送催阅提醒。")).to_be_visible()
    page.goto(f"{live_server.url}/staff/notices/manage/new/")
    page.get_by_role("button", name="保存草稿").tap()
    expect(page.get_by_role("alert")).to_contain_text("请输入标题")
    _check(page)
    context.close()
