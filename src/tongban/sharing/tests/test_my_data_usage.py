"""我的数据使用记录: the citizen sees the department's query; nobody else's rows (T-E5)."""

import datetime as dt

import time_machine
from conftest import PASSWORD
from django.urls import reverse

from tongban.accounts.tests.factories import CITIZEN_A_ID, CITIZEN_B_ID, CitizenFactory, EnterpriseFactory
from tongban.sharing.models import UsageLogEntry
from tongban.sharing.tests.conftest import fetch_token, query

IN_GRANT = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@time_machine.travel(IN_GRANT, tick=False)
def test_T_E5_citizen_sees_a_department_query_and_never_another_persons(client, c1, c2):
    token = fetch_token(client, c1)
    assert (
        query(
            client, token, subject=CITIZEN_A_ID, purpose="marriage-registration", case_ref="HY2026-0042"
        ).status_code
        == 200
    )
    assert (
        query(
            client, token, subject=CITIZEN_B_ID, purpose="marriage-registration", case_ref="HY2026-0099"
        ).status_code
        == 200
    )
    refused = query(client, fetch_token(client, c2), subject=CITIZEN_A_ID, purpose="景区预约核验")
    assert refused.status_code == 403

    citizen = CitizenFactory(resident_id=CITIZEN_A_ID)
    client.logout()
    client.login(username=citizen.username, password=PASSWORD)
    account = client.get(reverse("accounts:account")).content.decode()
    assert reverse("sharing:my_data_usage") in account
    page = client.get(reverse("sharing:my_data_usage"))
    assert "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert "我的数据使用记录" in html
    assert "云州市锦江区民政局" in html
    assert "人口基本信息：姓名、性别" in html
    assert "marriage-registration" in html
    assert "HY2026-0042" in html
    assert "2026年11月23日 18:00" in html  # Beijing time
    assert "云州市文化广电旅游局" in html
    assert "已拒绝" in html
    assert "HY2026-0099" not in html  # B's query
    own = UsageLogEntry.objects.filter(subject_key=citizen.resident_id_hmac).count()
    assert own == 2
    assert html.count("<tr>") - 1 == own


def test_enterprise_sees_uses_of_its_uscc_only(client, db):
    enterprise = EnterpriseFactory()
    client.login(username=enterprise.username, password=PASSWORD)
    html = client.get(reverse("sharing:my_data_usage")).content.decode()
    assert "还没有部门使用过您的数据" in html


def test_page_needs_login(client, db):
    response = client.get(reverse("sharing:my_data_usage"))
    assert response.status_code == 302
