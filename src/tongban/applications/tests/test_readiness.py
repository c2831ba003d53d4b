"""The readiness check: every step of every online item's process has an active staff member holding
its role in the department the task would arrive in (joint-approval lanes included)."""

import pytest
from conftest import make_staff
from django.contrib.auth import get_user_model

from tongban.applications.readiness import StaffingGap, staffing_gaps
from tongban.applications.services import bind_item_process
from tongban.organizations.tests.factories import DepartmentFactory
from tongban.workflow.services import upload_definition
from tongban.workflow.tests.helpers import standard_with


@pytest.fixture
def item(department, publish_item):
    return publish_item(department, name="个体工商户营业执照核发")


@pytest.fixture
def handlers(department):
    """Someone for every step of the standard process: 受理 (and 办结, 送达), 审查, 决定."""
    return {
        role: make_staff(f"market_{role}", department, role=role)
        for role in ("clerk", "reviewer", "approver")
    }


def gap(item, department, *, step, role, role_label, process="一般事项标准流程", lane=None, at=None):
    arrives = at or department
    return StaffingGap(
        item_id=item.item_id,
        item_name=item.name,
        implementation_code=item.implementation_code,
        item_department_id=department.pk,
        item_department_name=department.short_name,
        process_name=process,
        step_name=step,
        role=role,
        role_label=role_label,
        department_id=arrives.pk,
        department_name=arrives.short_name,
        lane=lane,
    )


def deactivate(user) -> None:
    get_user_model().objects.filter(pk=user.id).update(is_active=False)


def test_a_department_with_someone_for_every_step_has_no_gap(item, handlers):
    assert staffing_gaps() == []


def test_deactivating_the_only_reviewer_lists_the_review_step(item, department, handlers):
    deactivate(handlers["reviewer"])
    assert staffing_gaps() == [gap(item, department, step="审查", role="reviewer", role_label="审核人员")]


def test_without_a_clerk_every_step_of_the_clerk_is_listed(item, department, handlers):
    deactivate(handlers["clerk"])
    clerk = {"role": "clerk", "role_label": "受理人员"}
    assert staffing_gaps() == [
        gap(item, department, step="受理", **clerk),
        gap(item, department, step="办结", **clerk),
        gap(item, department, step="送达", **clerk),
    ]


def test_a_role_held_in_another_department_does_not_count(item, department, other_department, handlers):
    deactivate(handlers["approver"])
    make_staff("civil_approver", other_department, role="approver")
    assert staffing_gaps() == [gap(item, department, step="决定", role="approver", role_label="审批人员")]


def test_an_instant_item_needs_only_a_clerk(department, publish_item):
    publish_item(department, basic_code="000201009999", is_instant=True, promised_limit=0)
    make_staff("market_clerk", department, role="clerk")
    assert staffing_gaps() == []


def test_an_item_taking_no_online_applications_is_not_checked(department, publish_item):
    publish_item(
        department,
        accepts_online=False,
        online_depth=1,
        site_visits=1,
        site_visit_reason="需当场核验身份",
        cross_region_scope="none",
    )
    assert staffing_gaps() == []


def test_a_lane_of_a_joint_approval_goes_to_its_own_department(item, department, handlers):
    """企业开办: the 公章刻制 lane is the police's; its approver leaving shows that step, in that
    department, and only that step (the other lanes and the item's own steps have their people)."""
    lanes = {"税务": DepartmentFactory(), "社保": DepartmentFactory(), "公章刻制": DepartmentFactory()}
    approvers = {
        lane: make_staff(f"approver_{n}", d, role="approver") for n, (lane, d) in enumerate(lanes.items())
    }
    bind_item_process(
        item_id=item.item_id,
        definition_key="joint_startup",
        lane_departments={lane: d.pk for lane, d in lanes.items()},
    )
    assert staffing_gaps() == []
    deactivate(approvers["公章刻制"])
    assert staffing_gaps() == [
        gap(
            item,
            department,
            step="公章刻制备案",
            role="approver",
            role_label="审批人员",
            process="企业开办并联审批",
            lane="公章刻制",
            at=lanes["公章刻制"],
        )
    ]


def test_a_department_administrator_sees_the_gaps_of_their_departments_only(
    item, department, other_department, handlers, publish_item
):
    deactivate(handlers["reviewer"])
    civil_item = publish_item(other_department, basic_code="000201008888")
    civil = {"role": "approver", "role_label": "审批人员"}
    make_staff("civil_clerk", other_department, role="clerk")
    make_staff("civil_reviewer", other_department, role="reviewer")
    assert staffing_gaps({other_department.pk}) == [gap(civil_item, other_department, step="决定", **civil)]
    assert staffing_gaps({department.pk}) == [
        gap(item, department, step="审查", role="reviewer", role_label="审核人员")
    ]
    assert len(staffing_gaps()) == 2
    assert staffing_gaps(set()) == []


def test_an_uploaded_process_is_checked_with_its_own_roles(item, department, handlers):
    """A model whose 审查 is the supervisor's: the department's reviewer does not help."""
    model = standard_with(
        '<camunda:property name="role" value="reviewer"/>',
        '<camunda:property name="role" value="supervisor"/>',
    )
    upload_definition(key="supervised", data=model, uploaded_by_id=handlers["clerk"].id)
    bind_item_process(item_id=item.item_id, definition_key="supervised", lane_departments={})
    assert [(g.step_name, g.role, g.role_label, g.department_id) for g in staffing_gaps()] == [
        ("审查", "supervisor", "监察人员", department.pk)
    ]
    make_staff("market_supervisor", department, role="supervisor")
    assert staffing_gaps() == []


def test_an_item_whose_process_cannot_start_is_listed_without_a_step(item, department, handlers):
    """A binding to a key with no definition (the services refuse to make one; a row can say it)."""
    from tongban.applications.models import ProcessBinding

    ProcessBinding.objects.create(item_id=item.item_id, definition_key="retired", lane_departments={})
    [only] = staffing_gaps()
    assert (only.item_id, only.process_name, only.step_name, only.role, only.department_id) == (
        item.item_id,
        "retired",
        "",
        "",
        department.pk,
    )


def test_the_check_costs_five_queries_whatever_the_catalog(
    item, department, handlers, publish_item, django_assert_num_queries
):
    for n in range(3):
        publish_item(department, basic_code=f"00020100777{n}")
    bind_item_process(item_id=item.item_id, definition_key="standard", lane_departments={})
    with django_assert_num_queries(5):
        staffing_gaps()
