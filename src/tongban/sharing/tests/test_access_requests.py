"""共享申请: the provider answers within 10 working days, gives reasons to refuse; approval grants."""

import datetime as dt

import pytest
import time_machine
from conftest import make_staff

from tongban.accounts.tests.factories import CITIZEN_A_ID
from tongban.core import calendar
from tongban.sharing import services
from tongban.sharing.errors import NotGrantedError, SharingError
from tongban.sharing.models import AccessRequest, Grant

# Friday 2026-09-25: the 10 working days skip the National Day holiday (10-01..10-07) and count the
# adjusted working Saturday 10-10.
FRIDAY = dt.datetime(2026, 9, 25, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def steward(department):
    return make_staff("data_steward", department, role="department_admin")


@pytest.fixture
def pending(resources, other_department):
    calendar.seed_year(2026)
    with time_machine.travel(FRIDAY, tick=False):
        return services.request_access(
            resource_code="person.basic",
            department_id=other_department.pk,
            purpose="marriage-registration",
            item_keys=["full_name", "birth_date"],
            valid_from=dt.date(2026, 10, 1),
            valid_until=dt.date(2027, 9, 30),
            actor_id=None,
        )


def test_answer_is_due_in_ten_working_days(pending):
    assert AccessRequest.objects.get(pk=pending).answer_due == dt.date(2026, 10, 15)


def test_refusal_without_reason_is_refused(pending, steward):
    with pytest.raises(SharingError) as refused:
        services.refuse_access_request(request_id=pending, actor_id=steward.id, reason="  ")
    assert refused.value.message == "请填写不同意共享的理由"
    assert AccessRequest.objects.get(pk=pending).status == "pending"


def test_refusal_with_reason_is_recorded(pending, steward):
    services.refuse_access_request(
        request_id=pending, actor_id=steward.id, reason="出生日期不属于婚姻登记必需信息"
    )
    row = AccessRequest.objects.get(pk=pending)
    assert (row.status, row.refusal_reason, row.decided_by_id) == (
        "refused",
        "出生日期不属于婚姻登记必需信息",
        steward.id,
    )
    assert not Grant.objects.exists()


def test_only_the_provider_may_answer(pending, other_department):
    outsider = make_staff("outsider", other_department, role="department_admin")
    with pytest.raises(NotGrantedError):
        services.approve_access_request(request_id=pending, actor_id=outsider.id)
    assert not Grant.objects.exists()


def test_approval_grants_the_requested_items_for_the_period(pending, steward, other_department):
    grant_id = services.approve_access_request(request_id=pending, actor_id=steward.id)
    credentials = services.register_client(name="婚姻登记系统", department_id=other_department.pk)
    subject = services.subject_from_identifier(CITIZEN_A_ID)
    with time_machine.travel(dt.datetime(2026, 10, 10, 2, 0, tzinfo=dt.UTC), tick=False):
        shared = services.query_resource(
            client_id=credentials.client_pk,
            resource_code="person.basic",
            subject=subject,
            purpose="marriage-registration",
        )
    assert dict(shared.items) == {"full_name": "张三", "birth_date": "1990-03-07"}
    assert Grant.objects.get(pk=grant_id).access_request_id == pending
    with pytest.raises(SharingError):  # answered once
        services.refuse_access_request(request_id=pending, actor_id=steward.id, reason="改变主意")


def test_only_conditional_resources_are_requested(resources, other_department):
    with pytest.raises(SharingError):
        services.request_access(
            resource_code="person.medical",
            department_id=other_department.pk,
            purpose="x",
            item_keys=["full_name"],
            valid_from=dt.date(2026, 1, 1),
            valid_until=dt.date(2026, 2, 1),
            actor_id=None,
        )
    assert not AccessRequest.objects.exists()


def test_not_shared_resource_needs_a_legal_basis(department, db):
    from tongban.sharing.types import ItemData, ResourceData

    with pytest.raises(SharingError):
        services.upsert_resource(
            ResourceData(
                code="x",
                name="x",
                classification="x",
                department_id=department.pk,
                summary="x",
                subject_kind="person",
                provider="registries.person",
                sharing_type="not_shared",
                items=(ItemData("full_name", "姓名"),),
            )
        )
