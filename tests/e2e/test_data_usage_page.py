"""我的数据使用记录 in a real browser: reached from 我的账户, lists a department's query, passes axe at
phone and desktop widths without sideways scroll."""

import pytest
from conftest import PASSWORD
from django.core.cache import cache
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, has_sideways_scroll
from tongban.accounts.tests.factories import CitizenFactory
from tongban.demo.loader import load_demo_city
from tongban.demo.sharing import DEMO_CITIZEN_ID
from tongban.organizations.selectors import department_by_name
from tongban.sharing import services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def citizen(transactional_db):
    cache.clear()
    load_demo_city(with_accounts=False)
    civil_affairs = department_by_name("云州市锦江区民政局")
    client = services.ensure_client(name="锦江区民政局婚姻登记系统", department_id=civil_affairs.id)
    services.query_resource(
        client_id=client.client_pk,
        resource_code="person.basic",
        subject=services.subject_from_identifier(DEMO_CITIZEN_ID),
        purpose="婚姻登记",
        case_ref="JJ-HY-2026-0815",
    )
    return CitizenFactory(resident_id=DEMO_CITIZEN_ID, username="13800138001")


@pytest.mark.parametrize("width", [390, 1280])
def test_citizen_sees_who_used_the_data(page, live_server, citizen, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/account/login/")
    page.get_by_label("手机号码").fill(citizen.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.goto(live_server.url + "/account/")
    page.get_by_role("link", name="我的数据使用记录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的数据使用记录")
    expect(page.get_by_role("cell", name="云州市锦江区民政局")).to_be_visible()
    expect(page.get_by_text("JJ-HY-2026-0815")).to_be_visible()
    assert axe_violations(page) == []
    assert not has_sideways_scroll(page)
