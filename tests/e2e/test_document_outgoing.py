"""发文 in a real browser (doc-flow): a clerk drafts a 通知 from a template and fills the 发文单, the
department head reviews it, another department countersigns with an opinion, the office reviewer
passes it, the leader signs it off with a signature drawn on the canvas by mouse moves, and the
office's clerk and seal keeper number, red-head, seal and distribute it; the drafter sees it 已分发
with its 文号, the opinions and the signature."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations
from tongban.accounts.tests.helpers import login_staff
from tongban.documents.models import OfficialDocument
from tongban.documents.roles import SEEDED
from tongban.documents.tests.flow import make_office, open_task
from tongban.organizations.models import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office(transactional_db):
    # The roles of documents.roles are seeded by a migration; a flushed database lost them.
    for code, name, description in SEEDED:
        Role.objects.update_or_create(
            code=code,
            defaults={"name": name, "description": description, "is_builtin": True, "is_active": True},
        )
    return make_office()


def _as(browser, live_server, user):
    client = Client()
    login_staff(client, user)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000})
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context, context.new_page()


def _task(page, live_server, document_id, element_id):
    task = open_task(f"document:{document_id}", element_id)
    page.goto(f"{live_server.url}/staff/document-tasks/{task.id}/")


def open_task_name(element_id):
    return {
        "dept_review": "部门核稿",
        "countersign": "会签",
        "office_review": "办公室核稿",
        "numbering": "编号",
        "typesetting": "套红",
        "sealing": "用印",
        "distribution": "分发",
    }[element_id]


def _handle(browser, live_server, user, document_id, element_id, action_label, opinion=""):
    context, page = _as(browser, live_server, user)
    _task(page, live_server, document_id, element_id)
    expect(page.get_by_role("heading", level=1)).to_contain_text(open_task_name(element_id))
    page.get_by_label(action_label, exact=True).check()
    if opinion:
        page.locator("#id_opinion").fill(opinion)
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("status")).to_contain_text("已办理")
    context.close()


def test_a_notice_goes_from_draft_to_distribution_in_the_browser(browser, live_server, office):
    context, page = _as(browser, live_server, office.drafter)
    page.goto(f"{live_server.url}/staff/documents/new/")
    page.get_by_label("通知：通知（云州市人民政府办公室）").check()
    page.get_by_role("button", name="新建草稿").click()
    expect(page.get_by_role("status")).to_contain_text("已新建公文草稿")
    document = OfficialDocument.objects.get(drafter_id=office.drafter.id)
    page.get_by_role("link", name="办理：拟稿").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("拟稿：")
    page.get_by_label("标题").fill("云州市人民政府办公室关于做好2027年元旦春节期间有关工作的通知")
    page.get_by_label("主送机关（平台内部门）").select_option(label="云州市教育局")
    page.get_by_label("主送机关（其他机关，每行一个）").fill("各区人民政府")
    page.get_by_label("抄送机关（其他机关，每行一个）").fill("市委办公室")
    page.get_by_label("会签部门").select_option(label="云州市教育局")
    page.get_by_role("button", name="保存发文单").click()
    expect(page.get_by_role("status")).to_contain_text("发文单已保存")
    assert axe_violations(page) == []
    page.get_by_label("送核稿").check()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("status")).to_contain_text("已办理")
    context.close()

    _handle(browser, live_server, office.head, document.pk, "dept_review", "核稿通过", "同意。")
    _handle(browser, live_server, office.partner_head, document.pk, "countersign", "同意", "无意见。")
    _handle(browser, live_server, office.reviewer, document.pk, "office_review", "核稿通过", "核稿无误。")

    context, page = _as(browser, live_server, office.signer)
    _task(page, live_server, document.pk, "sign_off")
    page.get_by_label("签发意见").fill("同意印发。")
    pad = page.locator("#signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] - 30)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * 25, box["y"] + box["height"] - 30 - (step % 4) * 20, steps=3)
    page.mouse.up()
    assert axe_violations(page) == []
    page.get_by_role("button", name="签发", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("已签发")
    context.close()
    document.refresh_from_db()
    assert bytes(document.signature_image).startswith(b"\x89PNG")

    _handle(browser, live_server, office.clerk, document.pk, "numbering", "编号")
    _handle(browser, live_server, office.clerk, document.pk, "typesetting", "套红")
    _handle(browser, live_server, office.seal_keeper, document.pk, "sealing", "用印")
    _handle(browser, live_server, office.clerk, document.pk, "distribution", "分发")

    context, page = _as(browser, live_server, office.drafter)
    page.goto(f"{live_server.url}/staff/documents/{document.pk}/")
    document.refresh_from_db()
    expect(page.locator(".tag")).to_have_text("已分发")
    expect(page.get_by_role("main")).to_contain_text(document.document_number)
    expect(page.get_by_role("main")).to_contain_text("无意见。")
    expect(page.get_by_role("img", name="fuban_signer的手写签名")).to_be_visible()
    assert page.evaluate("document.querySelector('.signature-image').naturalWidth") > 0
    assert axe_violations(page) == []
    context.close()
