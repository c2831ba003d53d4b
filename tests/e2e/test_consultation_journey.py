"""Issue 17's 意见征集 journey in a real browser: a citizen finds the open consultation from 互动交流 and
comments on a section (published at once); a second comment with a review word (狗官) is held; the
留言审核 approves it; the 征集发布 answers it; after the period (time-machine) the 征集发布 records
采纳情况 for each comment and publishes the result, which the public result page shows with its counts.

The clock is pinned to 1 December 2026 09:00; the consultation runs 1–20 December. The test's own
data, not the demo city. Every page visited is checked with axe and for sideways scroll."""

import datetime as dt
import importlib
import re
import zoneinfo

import pytest
import time_machine
from conftest import PASSWORD, make_staff
from django.apps import apps as django_apps
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, has_sideways_scroll
from tongban.accounts.services import ensure_user
from tongban.accounts.tests.helpers import login_staff
from tongban.consultations.models import Comment
from tongban.consultations.roles import CONSULTATION_MODERATOR, CONSULTATION_PUBLISHER
from tongban.consultations.services import consultations as services
from tongban.consultations.types import ConsultationDraft
from tongban.moderation.selectors import forget_cached_words
from tongban.organizations.tests.factories import DepartmentFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
START = dt.datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI)
TITLE = "《云州市物业管理条例（征求意见稿）》"


@pytest.fixture
def setting(transactional_db):
    # The seeded roles and words: a flushed database lost them.
    for migration in (
        "tongban.consultations.migrations.0002_seed_consultation_roles",
        "tongban.moderation.migrations.0002_seed_sensitive_words",
    ):
        importlib.import_module(migration).seed(django_apps, None)
    forget_cached_words()
    housing = DepartmentFactory(name="云州市住房和城乡建设局", short_name="市住建局")
    publisher = make_staff("housing_publisher", housing, CONSULTATION_PUBLISHER)
    moderator = make_staff("housing_moderator", housing, CONSULTATION_MODERATOR)
    resident = ensure_user(
        username="13800000009", full_name="王五", kind="citizen", password=PASSWORD, phone="13800000009"
    )
    with time_machine.travel(START, tick=True):
        consultation_id = services.create_consultation(
            actor_id=publisher.id,
            draft=ConsultationDraft(
                title=TITLE,
                summary="为规范物业管理活动，现公开征求意见。",
                department_id=housing.pk,
                opens_on=dt.date(2026, 12, 1),
                closes_on=dt.date(2026, 12, 20),
            ),
            idempotency_key="journey",
        )
        for heading in ("第一章 总则", "第二章 业主大会", "第三章 物业服务"):
            services.add_section(
                actor_id=publisher.id,
                consultation_id=consultation_id,
                heading=heading,
                text=f"{heading}的条文。",
            )
        services.publish_consultation(actor_id=publisher.id, consultation_id=consultation_id)
    yield consultation_id, publisher, moderator, resident
    forget_cached_words()


def _as(browser, live_server, user=None, width=1280):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 1000})
    if user is not None:
        client = Client()
        if user.kind == "staff":
            login_staff(client, user)
        else:
            client.login(username=user.username, password=PASSWORD)
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context, context.new_page()


def _accessible(page):
    assert axe_violations(page) == []
    assert not has_sideways_scroll(page)


def test_a_comment_is_held_approved_answered_and_counted_in_the_published_result(
    browser, live_server, setting
):
    consultation_id, publisher, moderator, resident = setting
    with time_machine.travel(START, tick=True) as clock:
        # The citizen finds the consultation from 互动交流 and comments on a chapter (on a phone).
        context, page = _as(browser, live_server, resident, width=390)
        page.goto(f"{live_server.url}/")
        page.get_by_role("navigation", name="主导航").get_by_role("link", name="互动交流").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("互动交流")
        _accessible(page)
        page.get_by_role("link", name=TITLE).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        _accessible(page)
        page.get_by_label("对“第二章 业主大会”留言").fill("建议降低业主大会筹备的门槛。")
        page.locator("section").filter(has_text="第二章 业主大会").get_by_role(
            "button", name="提交留言"
        ).click()
        expect(page.get_by_role("status")).to_contain_text("留言已公开")
        expect(page.locator("section").filter(has_text="第二章 业主大会")).to_contain_text(
            "建议降低业主大会筹备的门槛。"
        )
        # An empty comment is refused with its error next to the field.
        page.locator("section").filter(has_text="第一章 总则").get_by_role("button", name="提交留言").click()
        expect(page.get_by_role("alert")).to_contain_text("请输入留言内容")
        expect(page).to_have_title(re.compile(r"^错误：《云州市物业管理条例"))
        _accessible(page)
        # A comment with a review word is held.
        page.get_by_label("对“第三章 物业服务”留言").fill("物业经理就是狗官作风，收费不公示。")
        page.locator("section").filter(has_text="第三章 物业服务").get_by_role(
            "button", name="提交留言"
        ).click()
        expect(page.get_by_role("status")).to_contain_text("经审核后公开")
        expect(page.locator("#main")).not_to_contain_text("狗官作风")
        held = Comment.objects.get(status="held")
        assert held.held_reason == "含有需人工审核的词语：狗官"
        context.close()

        # The 留言审核 approves it.
        context, page = _as(browser, live_server, moderator)
        page.goto(f"{live_server.url}/staff/")
        page.get_by_role("link", name="留言审核").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("留言审核")
        expect(page.locator("#main")).to_contain_text("待审原因：含有需人工审核的词语：狗官")
        _accessible(page)
        page.get_by_role("button", name="通过").click()
        expect(page.get_by_role("status")).to_contain_text("留言已公开")
        expect(page.locator("#main")).to_contain_text("没有待审核的留言。")
        context.close()

        # The 征集发布 answers it.
        context, page = _as(browser, live_server, publisher)
        page.goto(f"{live_server.url}/staff/consultations/")
        page.get_by_role("link", name=TITLE).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        _accessible(page)
        page.locator(f"#answer-{held.pk}").fill("感谢您的意见，我们将要求物业服务人每年公示收支情况。")
        page.locator(f"#comment-{held.pk}").get_by_role("button", name="发布答复").click()
        expect(page.get_by_role("status")).to_contain_text("答复已发布")
        context.close()

        # After the period the 征集发布 records 采纳情况 and publishes the result.
        clock.move_to(dt.datetime(2026, 12, 21, 10, 0, tzinfo=SHANGHAI))
        context, page = _as(browser, live_server, publisher)
        page.goto(f"{live_server.url}/staff/consultations/{consultation_id}/comments/")
        page.get_by_role("link", name="采纳情况").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("采纳情况")
        _accessible(page)
        first, second = list(Comment.objects.order_by("pk"))
        page.locator(f"#adoption-{first.pk}-adopted").check()
        page.locator(f"#comment-{first.pk}").get_by_role("button", name="保存采纳情况").click()
        expect(page.get_by_role("status")).to_contain_text("采纳情况已保存")
        page.locator(f"#adoption-{second.pk}-partly").check()
        page.locator(f"#reason-{second.pk}").fill("收支公示已写入第二十六条，人身评价不予采纳。")
        page.locator(f"#comment-{second.pk}").get_by_role("button", name="保存采纳情况").click()
        expect(page.get_by_role("status")).to_contain_text("采纳情况已保存")
        page.get_by_label("采纳情况说明").fill("共收到意见2条，采纳1条，部分采纳1条。")
        page.get_by_role("button", name="公布采纳情况").click()
        expect(page.get_by_role("status")).to_contain_text("采纳情况已公布")
        context.close()

        # The public result page shows it.
        context, page = _as(browser, live_server)
        page.goto(f"{live_server.url}/consultations/?tab=results")
        page.get_by_role("link", name=TITLE).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"{TITLE}意见采纳情况")
        counts = page.locator("#result-counts")
        expect(counts).to_contain_text("收到意见2条")
        expect(counts).to_contain_text("采纳1条")
        expect(counts).to_contain_text("部分采纳1条")
        expect(counts).to_contain_text("未采纳0条")
        expect(page.locator("#main")).to_contain_text("感谢您的意见，我们将要求物业服务人每年公示收支情况。")
        expect(page.locator("#main")).to_contain_text("收支公示已写入第二十六条")
        _accessible(page)
        context.close()

        # The commenter's 我的留言 shows the status, the answer and the 采纳情况 (elder mode on a phone).
        context, page = _as(browser, live_server, resident, width=390)
        page.goto(f"{live_server.url}/consultations/mine/")
        mine = page.locator(f"#comment-{second.pk}")
        expect(mine).to_contain_text("已公开")
        expect(mine).to_contain_text("部分采纳")
        expect(mine).to_contain_text("感谢您的意见，我们将要求物业服务人每年公示收支情况。")
        page.get_by_role("link", name="长辈版").click()
        expect(page.locator("html")).to_have_class("elder")
        _accessible(page)
        context.close()
