"""A role named by a step of a published process is not deactivated (workflow answers organizations'
in-use hook)."""

import importlib

import pytest
from conftest import make_staff
from django.apps import apps as django_apps

from tongban.organizations import services
from tongban.organizations.errors import StaffError
from tongban.workflow import services as workflow
from tongban.workflow.tests.helpers import chain

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seeded(db):
    importlib.import_module("tongban.organizations.migrations.0005_seed_builtin_roles").seed(
        django_apps, None
    )


@pytest.fixture
def city_admin(department):
    return make_staff("city_admin", department, "city_admin")


def test_a_role_named_by_a_published_process_is_not_deactivated(city_admin):
    role_id = services.create_role(actor_id=city_admin.id, code="finance_review", name="财务审核")
    workflow.upload_definition(
        key="reimburse",
        data=chain([("a", "财务审核", {"role": "finance_review", "step": "approve"})]),
        uploaded_by_id=city_admin.id,
        family="internal",
    )
    with pytest.raises(StaffError) as refused:
        services.set_role_active(actor_id=city_admin.id, role_id=role_id, active=False)
    assert (
        refused.value.message == "“财务审核”仍在使用，不能停用：流程测试流程（reimburse）的环节指定了该岗位"
    )
