"""Catalog REST API: public reads, staff writes scoped to departments, refusals as JSON."""

import json

import pytest
from conftest import make_staff
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.catalog.models import ServiceItem, ServiceItemVersion
from tongban.catalog.tests.factories import ItemDraftFactory

ITEMS = "/api/v1/catalog/items/"
STAFF_ITEMS = "/api/v1/catalog/staff/items/"


def draft_json(**overrides):
    draft = ItemDraftFactory(result_sample=None, result_type="none", result_name="", **overrides)
    body = {
        name: getattr(draft, name)
        for name in [
            "name",
            "kind",
            "power_source",
            "exercise_level",
            "acceptance_conditions",
            "promised_limit",
            "online_depth",
            "result_type",
            "consultation_phone",
            "complaint_phone",
            "statutory_limit",
            "serves_legal_persons",
        ]
    }
    body["legal_bases"] = [{"law_name": "促进个体工商户发展条例", "text": "应当依法办理登记。"}]
    body["steps"] = [{"name": n} for n in ("受理", "审核", "审批", "办结", "送达")]
    body["faqs"] = [{"question": "可以网上办吗？", "answer": "可以。"}]
    body["materials"] = [
        {
            "name": "申请书",
            "material_type": "form",
            "form": "electronic",
            "necessity": "required",
            "source": "applicant",
        }
    ]
    return body


def post_new_item(client, department, draft, *, basic_code="000201001000"):
    body = {
        "department_id": department.pk,
        "basic_code": basic_code,
        "implementation_code": department.uscc + basic_code,
        "draft": draft,
    }
    return client.post(STAFF_ITEMS, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def staff_client(client, editor):
    login_staff(client, editor)
    return client


def test_public_list_and_detail(client, department, publish_item):
    ref = publish_item(department)
    listing = client.get(ITEMS).json()
    assert listing["count"] == 1
    assert listing["results"][0]["implementation_code"] == ref.implementation_code
    detail = client.get(f"{ITEMS}{ref.implementation_code}/").json()
    assert [s["name"] for s in detail["steps"]] == ["受理", "审核", "审批", "办结", "送达"]
    assert detail["materials"][0]["has_blank_form"] is True


def test_public_search_through_the_api(client, department, publish_item):
    publish_item(department)
    assert client.get(ITEMS, {"q": "营业执照"}).json()["count"] == 1
    assert client.get(ITEMS, {"q": "护照"}).json()["count"] == 0


def test_T_D5_page_size_is_capped(client, department, publish_item, rf):
    from rest_framework.request import Request

    from tongban.core.api.pagination import CappedPagination

    publish_item(department)
    publish_item(department)
    assert len(client.get(ITEMS, {"page_size": 1}).json()["results"]) == 1
    assert len(client.get(ITEMS, {"page_size": 100000}).json()["results"]) == 2
    huge = Request(rf.get(ITEMS, {"page_size": 100000}))
    assert CappedPagination().get_page_size(huge) == 100


def test_T_D6_unknown_filters_and_ordering_are_ignored(client, department, publish_item):
    publish_item(department)
    for params in ({"ordering": "password"}, {"ordering": "(select 1)"}, {"department": "1 OR 1=1"}):
        response = client.get(ITEMS, params)
        assert response.status_code == 200, params
        assert response.json()["count"] == 1


def test_openapi_schema_is_served(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/catalog/items/" in response.content


def test_T_B4_anonymous_cannot_write(client, department):
    response = post_new_item(client, department, draft_json())
    assert response.status_code == 403
    assert ServiceItem.objects.count() == 0


def test_editor_creates_and_publishes_an_item(staff_client, department):
    response = post_new_item(staff_client, department, draft_json())
    assert response.status_code == 201, response.json()
    version_id = response.json()["version_id"]
    published = staff_client.post(f"/api/v1/catalog/staff/versions/{version_id}/publish/")
    assert published.json()["status"] == "published"


def test_rule_violation_is_a_400_with_the_rule_in_chinese(staff_client, department):
    response = post_new_item(
        staff_client,
        department,
        draft_json(site_visits=1) | {"site_visits": 1, "site_visit_reason": "核验身份"},
    )
    assert response.status_code == 400
    assert "规则“全程网办事项零跑动”" in response.json()["detail"]
    assert ServiceItem.objects.count() == 0


def test_T_D1_unknown_fields_are_refused(staff_client, department):
    response = post_new_item(staff_client, department, draft_json() | {"status": "published"})
    assert response.status_code == 400
    assert "status" in response.json()["draft"]
    assert ServiceItemVersion.objects.count() == 0


def test_T_B3_editor_cannot_touch_another_departments_item(
    client, department, other_department, publish_item
):
    ref = publish_item(department)
    outsider = make_staff("civil_editor", other_department)
    login_staff(client, outsider)
    assert client.get(f"/api/v1/catalog/staff/versions/{ref.version_id}/").status_code == 404
    assert client.post(f"/api/v1/catalog/staff/items/{ref.item_id}/draft/").status_code == 404
    assert client.post(f"/api/v1/catalog/staff/versions/{ref.version_id}/publish/").status_code == 404
    response = post_new_item(client, department, draft_json(), basic_code="000201009000")
    assert response.status_code == 403
    assert response.json()["detail"] == "您没有管理该部门事项的权限。"
    assert ServiceItemVersion.objects.count() == 1


def test_published_version_put_is_a_409(staff_client, department, publish_item):
    ref = publish_item(department)
    response = staff_client.put(
        f"/api/v1/catalog/staff/versions/{ref.version_id}/",
        data=draft_json(),
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "不能修改" in response.json()["detail"]


def test_T_K2_deeply_nested_json_is_a_400(staff_client):
    deep = "[" * 100_000 + "]" * 100_000
    response = staff_client.post(STAFF_ITEMS, data=deep, content_type="application/json")
    assert response.status_code == 400


def test_T_D7_malformed_json_is_a_400_without_traceback(staff_client):
    response = staff_client.post(STAFF_ITEMS, data='{"a":', content_type="application/json")
    assert response.status_code == 400
    assert "Traceback" not in response.content.decode()


def test_T_A8_write_without_csrf_token_is_refused(department, editor):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    login_staff(csrf_client, editor)
    response = csrf_client.post(
        STAFF_ITEMS, data=json.dumps({"department_id": department.pk}), content_type="application/json"
    )
    assert response.status_code == 403
    assert ServiceItem.objects.count() == 0


def test_schema_lists_staff_endpoints(client, db):
    assert reverse("catalog-staff-items") == STAFF_ITEMS
