"""The provider's department admin answers 共享申请 on staff pages; others get a 404."""

import datetime as dt

import pytest
from conftest import make_staff
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.sharing import services
from tongban.sharing.models import AccessRequest, Grant


@pytest.fixture
def pending(resources, other_department):
    return services.request_access(
        resource_code="person.basic",
        department_id=other_department.pk,
        purpose="marriage-registration",
        item_keys=["full_name", "gender"],
        valid_from=dt.date(2026, 1, 1),
        valid_until=dt.date(2026, 12, 31),
        actor_id=None,
    )


@pytest.fixture
def steward_client(client, department):
    login_staff(client, make_staff("steward", department, role="department_admin"))
    return client


def test_steward_lists_and_approves(steward_client, pending):
    page = steward_client.get(reverse("sharing:staff_requests")).content.decode()
    assert "人口基本信息" in page
    assert "marriage-registration" in page
    url = reverse("sharing:staff_answer_request", args=[pending])
    assert "姓名、性别" in steward_client.get(url).content.decode()
    response = steward_client.post(url, {"decision": "approve"})
    assert response["Location"] == reverse("sharing:staff_requests")
    assert Grant.objects.get().item_keys == ["full_name", "gender"]


def test_refusal_without_reason_shows_the_error_and_changes_nothing(steward_client, pending):
    url = reverse("sharing:staff_answer_request", args=[pending])
    page = steward_client.post(url, {"decision": "refuse", "reason": ""}).content.decode()
    assert "<title>错误：" in page
    assert "请填写不同意共享的理由" in page
    assert AccessRequest.objects.get().status == "pending"


def test_staff_of_another_department_gets_404(client, pending, other_department):
    login_staff(client, make_staff("outsider", other_department, role="department_admin"))
    assert client.get(reverse("sharing:staff_answer_request", args=[pending])).status_code == 404
    assert (
        client.post(
            reverse("sharing:staff_answer_request", args=[pending]), {"decision": "approve"}
        ).status_code
        == 404
    )
    assert not Grant.objects.exists()
