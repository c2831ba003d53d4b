"""A city's own step kind keeps the application behaviour of its meaning (issue 14)."""

import importlib

import pytest
from conftest import make_staff
from django.apps import apps as django_apps

from tongban.applications.services.handling import actions_for
from tongban.workflow import services
from tongban.workflow.tests.helpers import standard_with

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seeded(db):
    importlib.import_module("tongban.workflow.migrations.0017_seed_step_kinds").seed(django_apps, None)


def test_a_custom_step_kind_keeps_the_application_behaviour_of_its_meaning(department):
    """A 决定 step drawn with the city's kind 核准 (meaning decide) still offers 准予/不予."""
    process_admin = make_staff("process_admin", department, "department_admin")
    services.create_step_kind(actor_id=process_admin.id, code="sanction", name="核准", meaning="decide")
    data = standard_with(
        '<camunda:property name="step" value="decide"/>', '<camunda:property name="step" value="sanction"/>'
    )
    services.upload_definition(key="custom_decide", data=data, uploaded_by_id=process_admin.id)
    clerk = make_staff("clerk", department, "clerk")
    reviewer = make_staff("reviewer", department, "reviewer")
    [accept] = services.start_instance(
        definition_key="custom_decide", subject="case:9", department_id=department.pk, data={}
    ).opened
    [review] = services.complete_task(
        task_id=accept.id,
        user_id=clerk.id,
        action="accept",
        action_label="受理",
        opinion="",
        data={"accepted": True},
    ).opened
    [decide] = services.complete_task(
        task_id=review.id, user_id=reviewer.id, action="pass", action_label="审查通过", opinion="好", data={}
    ).opened
    assert decide.step == "sanction"
    assert [a.code for a in actions_for(decide)] == ["approve", "deny"]
