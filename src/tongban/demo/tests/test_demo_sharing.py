"""The demo city's registries and exchange: a demo department system queries the demo citizen and
the citizen sees it; the demo enterprise's forms prefill from the legal-person registry."""

import base64
import time

from django.test import override_settings
from django.urls import reverse

from tongban.demo.loader import DEMO_PASSWORD, load_demo_city
from tongban.demo.sharing import DEMO_CITIZEN_ID, DEMO_ENTERPRISE_USCC
from tongban.sharing import services as sharing_services


@override_settings(DEBUG=True)
def test_demo_department_queries_the_demo_citizen_who_sees_it(client, db):
    report = load_demo_city(with_documents=False)
    clients = dict(report.exchange_clients)
    civil_affairs = clients["锦江区民政局婚姻登记系统"]
    basic = base64.b64encode(f"{civil_affairs.client_id}:{civil_affairs.client_secret}".encode()).decode()
    token = client.post(
        reverse("exchange-token"), {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}"
    ).json()["access_token"]
    response = client.post(
        reverse("exchange-query", args=["person.basic"]),
        {"subject": DEMO_CITIZEN_ID, "purpose": "婚姻登记", "case_ref": "JJ-HY-2026-0815"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_IDEMPOTENCY_KEY="JJ-HY-2026-0815-q1",
        HTTP_X_TIMESTAMP=str(int(time.time())),
    )
    assert response.status_code == 200
    assert response.json()["items"] == {
        "full_name": "张三",
        "gender": "男",
        "birth_date": "1988-05-12",
        "household_address": "云州市锦江区滨江路18号3栋201室",
    }

    assert client.login(username="13800000001", password=DEMO_PASSWORD)
    page = client.get(reverse("sharing:my_data_usage")).content.decode()
    assert "云州市锦江区民政局" in page
    assert "JJ-HY-2026-0815" in page

    enterprise = sharing_services.subject_from_identifier(DEMO_ENTERPRISE_USCC)
    known = sharing_services.prefill_values(
        subject=enterprise,
        case_ref="草稿 1",
        wanted={"enterprise.legal_representative", "enterprise.address"},
    )
    assert known == {
        "enterprise.legal_representative": "张三",
        "enterprise.address": "云州市锦江区南门街66号1层",
    }
