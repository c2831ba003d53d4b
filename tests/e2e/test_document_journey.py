"""Issue 15's must-show journey in a real browser: a clerk drafts a 通知 from a template; the department
head (部门核稿) changes two sentences in the editor and the 修订 page shows both as marks; another
department countersigns with an opinion; 办公室核稿; the leader signs off with a signature drawn by
mouse moves; 编号 gives 云州府办〔2026〕N号; 套红; 用印 — the sealed PDF downloaded from the document page
verifies and fails after one byte is changed; 分发 to three departments; two receiving clerks sign for
it, one returns it with a reason; the sender's 分发情况 shows 已签收 ×2 and 已退文 with the reason.

The test's own data (documents.tests.flow.make_office), like test_document_outgoing: cheaper than the
demo city, which this suite does not load."""

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import make_staff
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations
from tongban.accounts.tests.helpers import login_staff
from tongban.documents.models import OfficialDocument
from tongban.documents.roles import DOCUMENT_CLERK, SEEDED
from tongban.documents.sealing import verify_pdf_seal
from tongban.documents.tests.flow import make_office, open_task
from tongban.organizations.models import Role
from tongban.organizations.tests.factories import DepartmentFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "云州市人民政府办公室关于做好2027年元旦春节期间有关工作的通知"
TEMPLATE_BODY = (
    "<p>各区人民政府，市政府各部门：</p>"
    "<p>为加强元旦春节期间安全生产工作，现将有关事项通知如下。</p>"
    "<p>各单位要落实领导带班和24小时值班制度。</p>"
    "<p>特此通知。</p>"
)
RETURN_REASON = "本局不是该事项的主管部门，请改送市应急管理局。"


@pytest.fixture
def office(transactional_db):
    # The roles of documents.roles are seeded by a migration; a flushed database lost them.
    for code, name, description in SEEDED:
        Role.objects.update_or_create(
            code=code,
            defaults={"name": name, "description": description, "is_builtin": True, "is_active": True},
        )
    office = make_office()
    office.template.body_html = TEMPLATE_BODY
    office.template.save(update_fields=["body_html"])
    return office


def _as(browser, live_server, user):
    client = Client()
    login_staff(client, user)
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 1000}, accept_downloads=True
    )
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context, context.new_page()


def _handle(browser, live_server, user, document_id, element_id, action_label, opinion="", file_link=""):
    """Open the user's task from the document page (办理：…) and complete it with the action."""
    context, page = _as(browser, live_server, user)
    task = open_task(f"document:{document_id}", element_id)
    page.goto(f"{live_server.url}/staff/documents/{document_id}/")
    page.locator(f"a[href='/staff/document-tasks/{task.id}/']").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(task.name)
    if file_link:  # the file to check before the step (the 套红 PDF before 用印)
        expect(page.get_by_role("link", name=file_link)).to_have_attribute("href", re.compile(r"\.pdf$"))
    page.get_by_label(action_label, exact=True).check()
    if opinion:
        page.locator("#id_opinion").fill(opinion)
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("status")).to_contain_text("已办理")
    context.close()


def _verify(pdf: bytes):
    """verify_pdf_seal runs pyHanko with asyncio.run, which refuses to start inside the event loop of
    Playwright's sync API in this thread: verify in a thread of its own, like the offline command."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(verify_pdf_seal, pdf).result()


def _select_start(page, paragraph, count):
    """Select the first ``count`` characters of a paragraph of the editor."""
    paragraph.click(position={"x": 2, "y": 5})
    page.keyboard.press("Home")
    for _ in range(count):
        page.keyboard.press("Shift+ArrowRight")


def _sign_for(browser, live_server, clerk, title, *, reason=""):
    context, page = _as(browser, live_server, clerk)
    page.goto(f"{live_server.url}/staff/documents/incoming/pending/")
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    if reason:
        page.locator("summary", has_text="退文").click()
        page.get_by_label("退文理由").fill(reason)
        page.locator("details form").get_by_role("button", name="退文").click()
        expect(page.get_by_role("status")).to_contain_text("已退文")
    else:
        page.get_by_role("button", name="签收", exact=True).click()
        expect(page.get_by_role("status")).to_contain_text("已签收")
    context.close()


def test_a_notice_is_drafted_revised_signed_sealed_and_received_by_three_departments(
    browser, live_server, office, tmp_path
):
    health = DepartmentFactory(name="云州市卫生健康委员会", short_name="市卫健委")
    transport = DepartmentFactory(name="云州市交通运输局", short_name="市交通局")
    receivers = {
        "education": make_staff("jiaoyu_wenshu", office.partner, DOCUMENT_CLERK),
        "health": make_staff("weijian_wenshu", health, DOCUMENT_CLERK),
        "transport": make_staff("jiaotong_wenshu", transport, DOCUMENT_CLERK),
    }

    # 拟稿: the clerk starts a 通知 from the template; the editor starts from its text.
    context, page = _as(browser, live_server, office.drafter)
    page.goto(f"{live_server.url}/staff/documents/new/")
    page.get_by_label("通知：通知（云州市人民政府办公室）").check()
    page.get_by_role("button", name="新建草稿").click()
    expect(page.get_by_role("status")).to_contain_text("已新建公文草稿")
    document = OfficialDocument.objects.get(drafter_id=office.drafter.id)
    page.get_by_role("link", name="办理：拟稿").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("拟稿：")
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("主送机关（平台内部门）").select_option(label="云州市教育局")
    page.get_by_label("主送机关（其他机关，每行一个）").fill("各区人民政府")
    page.get_by_label("抄送机关（平台内部门）").select_option(
        label=["云州市卫生健康委员会", "云州市交通运输局"]
    )
    page.get_by_label("会签部门").select_option(label="云州市教育局")
    page.get_by_role("button", name="保存发文单").click()
    expect(page.get_by_role("status")).to_contain_text("发文单已保存")
    page.goto(f"{live_server.url}/staff/documents/{document.pk}/body/")
    expect(page.locator(".ql-editor p").nth(1)).to_have_text(
        "为加强元旦春节期间安全生产工作，现将有关事项通知如下。"
    )
    # The draft starts as version 1 (the template's text); the drafter adds the closing (落款).
    page.locator(".ql-editor p").last.click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("云州市人民政府办公室")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已保存正文（第1版）")
    task = open_task(f"document:{document.pk}", "draft")
    page.goto(f"{live_server.url}/staff/document-tasks/{task.id}/")
    page.get_by_label("送核稿").check()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("status")).to_contain_text("已办理")
    context.close()

    # 部门核稿: the head changes two sentences; the 修订 page shows both as marks by them.
    context, page = _as(browser, live_server, office.head)
    page.goto(f"{live_server.url}/staff/documents/{document.pk}/body/")
    paragraphs = page.locator(".ql-editor p")
    expect(paragraphs.nth(1)).to_have_text("为加强元旦春节期间安全生产工作，现将有关事项通知如下。")
    _select_start(page, paragraphs.nth(1), 3)  # 为加强
    page.keyboard.type("为切实做好")
    _select_start(page, paragraphs.nth(2), 3)  # 各单位
    page.keyboard.type("各区、各部门")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已保存正文（第2版）")
    page.get_by_role("link", name="查看修订（共2版）").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("正文修订")
    expect(page.get_by_role("heading", name="第2版：caizheng_head")).to_be_visible()
    marks = page.locator("section.revision-version").first
    # Marks are by character: 加强 → 切实做好 in the first sentence, 各单位 → 各区、各部门 in the second.
    expect(marks.locator("ins").first).to_have_text("插入：切实做好")
    expect(marks.locator("del").first).to_have_text("删除：加强")
    inserted = "".join(t.removeprefix("插入：").strip() for t in marks.locator("ins").all_inner_texts()[1:])
    deleted = "".join(t.removeprefix("删除：").strip() for t in marks.locator("del").all_inner_texts()[1:])
    assert (inserted, deleted) == ("各区、部门", "单位")
    assert marks.locator("ins").first.get_attribute("title").startswith("caizheng_head ")
    assert axe_violations(page) == []
    context.close()
    _handle(browser, live_server, office.head, document.pk, "dept_review", "核稿通过", "同意，请会签。")

    # 会签 by the 市教育局, with an opinion; 办公室核稿.
    _handle(
        browser, live_server, office.partner_head, document.pk, "countersign", "同意", "同意，无补充意见。"
    )
    _handle(browser, live_server, office.reviewer, document.pk, "office_review", "核稿通过", "核稿无误。")

    # 领导签发 with a handwritten signature drawn by mouse moves.
    context, page = _as(browser, live_server, office.signer)
    page.goto(f"{live_server.url}/staff/documents/{document.pk}/")
    page.get_by_role("link", name="办理：领导签发").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("领导签发")
    page.get_by_label("签发意见").fill("同意印发。")
    pad = page.locator("#signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] - 30)
    page.mouse.down()
    for step in range(1, 14):
        page.mouse.move(box["x"] + 20 + step * 25, box["y"] + box["height"] - 30 - (step % 4) * 25, steps=3)
    page.mouse.up()
    page.get_by_role("button", name="签发", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("已签发")
    context.close()

    # 编号, 套红 (the office's 文书人员), 用印 (its 印章管理员).
    _handle(browser, live_server, office.clerk, document.pk, "numbering", "编号")
    document.refresh_from_db()
    assert re.fullmatch(r"云州府办〔2026〕[1-9]\d*号", document.document_number)
    _handle(browser, live_server, office.clerk, document.pk, "typesetting", "套红")
    _handle(
        browser,
        live_server,
        office.seal_keeper,
        document.pk,
        "sealing",
        "用印",
        file_link="核对套红后的公文（PDF，未用印）",
    )

    # The sealed PDF from the document page verifies; one byte changed and it no longer does.
    context, page = _as(browser, live_server, office.clerk)
    page.goto(f"{live_server.url}/staff/documents/{document.pk}/")
    expect(page.get_by_role("main")).to_contain_text(document.document_number)
    with page.expect_download() as download:
        page.get_by_role("link", name="下载用印后的公文（PDF）").click()
    sealed = Path(download.value.path()).read_bytes()
    (tmp_path / "sealed.pdf").write_bytes(sealed)
    assert sealed.startswith(b"%PDF")
    check = _verify(sealed)
    assert check.valid, check.reason
    changed = bytearray(sealed)
    changed[len(changed) // 2] ^= 0x01
    assert not _verify(bytes(changed)).valid
    context.close()

    # 分发 to the 主送 and two 抄送 departments.
    _handle(browser, live_server, office.clerk, document.pk, "distribution", "分发")

    _sign_for(browser, live_server, receivers["education"], TITLE)
    _sign_for(browser, live_server, receivers["health"], TITLE)
    _sign_for(browser, live_server, receivers["transport"], TITLE, reason=RETURN_REASON)

    # The sender's 分发情况: 已签收 ×2, 已退文 with its reason; the off-platform body by package.
    context, page = _as(browser, live_server, office.clerk)
    page.goto(f"{live_server.url}/staff/documents/{document.pk}/")
    expect(page.locator(".tag").first).to_have_text("已分发")
    page.get_by_role("link", name="分发情况").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("分发情况")
    rows = page.locator("table tbody tr")
    expect(rows.filter(has_text="云州市教育局").locator(".tag")).to_have_text("已签收")
    expect(rows.filter(has_text="云州市卫生健康委员会").locator(".tag")).to_have_text("已签收")
    returned = rows.filter(has_text="云州市交通运输局")
    expect(returned.locator(".tag")).to_have_text("已退文")
    expect(returned).to_contain_text(RETURN_REASON)
    expect(page.locator("table .tag", has_text="已签收")).to_have_count(2)
    assert axe_violations(page) == []
    context.close()
