"""Personas of THREATS.md: citizens A and B in the registries; exchange clients C1 (granted
``person.basic`` name and gender for ``marriage-registration``) and C2 (no grant)."""

import base64
import datetime as dt
import time
import uuid

import pytest
from django.core.cache import cache
from django.urls import reverse

from tongban.accounts.tests.factories import CITIZEN_A_ID, CITIZEN_B_ID
from tongban.registries import services as registry_services
from tongban.registries.types import CreditRecordData, PersonData
from tongban.sharing import services
from tongban.sharing.types import ItemData, ResourceData

PERSON_ITEMS = (
    ItemData("full_name", "姓名"),
    ItemData("gender", "性别"),
    ItemData("birth_date", "出生日期", "日期型"),
    ItemData("ethnicity", "民族"),
    ItemData("household_address", "户籍地址"),
)
GRANT_FROM = dt.date(2026, 1, 1)
GRANT_UNTIL = dt.date(2026, 12, 31)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache, which outlives a test's database."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def persons(db):
    registry_services.upsert_person(
        PersonData(CITIZEN_A_ID, "张三", "male", dt.date(1990, 3, 7), "汉族", "云州市锦江区滨江路1号")
    )
    registry_services.upsert_person(
        PersonData(CITIZEN_B_ID, "李梅", "female", dt.date(1985, 6, 15), "汉族", "云州市青山区桃源路8号")
    )
    registry_services.ensure_credit_record(
        resident_id=CITIZEN_B_ID,
        data=CreditRecordData(
            "red", "诚信纳税个人", "云州市税务局", dt.date(2026, 3, 1), "云税红〔2026〕3号"
        ),
    )


@pytest.fixture
def resources(persons, department):
    services.upsert_resource(
        ResourceData(
            code="person.basic",
            name="人口基本信息",
            classification="基础信息资源/人口",
            department_id=department.pk,
            summary="户籍人口的基本信息",
            subject_kind="person",
            provider="registries.person",
            sharing_type="conditional",
            sharing_condition="用于依法履职的政务服务事项办理",
            items=PERSON_ITEMS,
        )
    )
    services.upsert_resource(
        ResourceData(
            code="person.credit",
            name="个人信用记录",
            classification="基础信息资源/信用",
            department_id=department.pk,
            summary="红黑名单与行政处罚",
            subject_kind="person",
            provider="registries.person_credit",
            sharing_type="open",
            items=(ItemData("full_name", "姓名"), ItemData("credit_records", "信用记录", "列表")),
        )
    )
    services.upsert_resource(
        ResourceData(
            code="person.medical",
            name="个人病历",
            classification="主题信息资源/卫生健康",
            department_id=department.pk,
            summary="诊疗记录",
            subject_kind="person",
            provider="registries.person",
            sharing_type="not_shared",
            not_shared_basis="《中华人民共和国基本医疗卫生与健康促进法》第九十二条",
            items=(ItemData("full_name", "姓名"),),
        )
    )


@pytest.fixture
def c1(resources, other_department):
    credentials = services.register_client(name="民政局婚姻登记系统", department_id=other_department.pk)
    services.grant_access(
        resource_code="person.basic",
        department_id=other_department.pk,
        purpose="marriage-registration",
        item_keys=["full_name", "gender"],
        valid_from=GRANT_FROM,
        valid_until=GRANT_UNTIL,
    )
    return credentials


@pytest.fixture
def c2(resources, db):
    from tongban.organizations.tests.factories import DepartmentFactory

    return services.register_client(
        name="文旅局票务系统", department_id=DepartmentFactory(name="云州市文化广电旅游局").pk
    )


def fetch_token(client, credentials) -> str:
    """The real client-credentials flow at the token endpoint (HTTP Basic client authentication)."""
    basic = base64.b64encode(f"{credentials.client_id}:{credentials.client_secret}".encode()).decode()
    response = client.post(
        reverse("exchange-token"),
        {"grant_type": "client_credentials", "scope": "exchange"},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def query(client, token, code="person.basic", *, key=None, timestamp=None, **body):
    """An exchange query with a fresh Idempotency-Key and the current time unless given (T-D4)."""
    return client.post(
        reverse("exchange-query", args=[code]),
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_IDEMPOTENCY_KEY=key or str(uuid.uuid4()),
        HTTP_X_TIMESTAMP=str(int(time.time()) if timestamp is None else timestamp),
    )


@pytest.fixture
def api(client):
    """query(credentials, code, **body) through a fresh token."""

    def _query(credentials, code="person.basic", **body):
        return query(client, fetch_token(client, credentials), code, **body)

    return _query
