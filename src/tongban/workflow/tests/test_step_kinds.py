"""Step kinds and roles are data (issue 14): validation reads the tables, an application step needs a
step kind with an application meaning, custom kinds keep application behaviour through their
meaning, and the 环节类型 page (process administrators only)."""

import importlib

import pytest
from conftest import make_staff
from django.apps import apps as django_apps
from django.test import Client
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.organizations import services as organizations
from tongban.workflow import selectors, services
from tongban.workflow.errors import DefinitionError
from tongban.workflow.models import StepKind
from tongban.workflow.tests.helpers import chain
from tongban.workflow.validation import validate_definition

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seeded(db):
    """The data migration's rows, also after a transactional test elsewhere flushed the tables
    (PostgreSQL runs): running it again changes nothing where they are present."""
    importlib.import_module("tongban.workflow.migrations.0017_seed_step_kinds").seed(django_apps, None)


PAGE = reverse("workflow:step_kinds")


def test_the_seeded_step_kinds_and_their_meanings():
    assert list(StepKind.objects.values_list("code", "meaning", "is_builtin")) == [
        ("accept", "accept", True),
        ("review", "review", True),
        ("decide", "decide", True),
        ("close", "close", True),
        ("deliver", "deliver", True),
        ("approve", "", True),
    ]
    assert ("approve", "审批") in selectors.step_kind_choices()


def test_an_unknown_role_or_step_kind_is_refused():
    with pytest.raises(DefinitionError) as unknown_role:
        validate_definition(chain([("a", "审批", {"role": "finance_review", "step": "review"})]))
    assert "须用属性 role 指定办理角色" in unknown_role.value.message
    with pytest.raises(DefinitionError) as unknown_kind:
        validate_definition(chain([("a", "审批", {"role": "clerk", "step": "recheck"})]))
    assert "须用属性 step 指定环节类型" in unknown_kind.value.message


def test_a_step_kind_without_meaning_is_refused_in_an_application_definition_only():
    data = chain([("a", "审批", {"role": "department_head", "step": "approve"})])
    with pytest.raises(DefinitionError) as refused:
        validate_definition(data)
    assert refused.value.message == (
        "流程元素“审批”（a）：环节类型“审批”（approve）在办件流程中没有对应的受理、审查、决定、办结或送达，不能用于办件流程"
    )
    assert [s.step for s in validate_definition(data, family="internal").steps] == ["approve"]


def test_bad_assignee_rules_are_refused():
    cases = {
        "assignee=boss": "属性 assignee 须为",
        "assignee=users": "assignee_users",
        "assignee=leader,leader_levels=0": "leader_levels",
        "assignee=form_field": "assignee_field",
    }
    for spec, expected in cases.items():
        props = dict(pair.split("=") for pair in spec.split(","))
        with pytest.raises(DefinitionError) as refused:
            validate_definition(
                chain([("a", "审批", {"role": "department_head", "step": "approve", **props})]),
                family="internal",
            )
        assert expected in refused.value.message, spec


def test_a_city_s_role_and_step_kind_are_accepted_once_added(department):
    city_admin = make_staff("city_admin", department, "city_admin")
    process_admin = make_staff("process_admin", department, "department_admin")
    organizations.create_role(actor_id=city_admin.id, code="finance_review", name="财务审核")
    services.create_step_kind(actor_id=process_admin.id, code="recheck", name="复核", meaning="review")
    checked = validate_definition(chain([("a", "复核", {"role": "finance_review", "step": "recheck"})]))
    assert [(s.role, s.step) for s in checked.steps] == [("finance_review", "recheck")]
    assert selectors.step_meaning("recheck") == "review"
    assert selectors.step_meaning("approve") == ""
    assert selectors.step_meaning("decide") == "decide"


def test_only_process_administrators_open_the_step_kind_page(department):
    clerk = make_staff("clerk", department, "clerk")
    client = Client()
    login_staff(client, clerk)
    assert client.get(PAGE).status_code == 404
    assert client.post(PAGE, {"code": "recheck", "name": "复核", "meaning": "review"}).status_code == 404
    assert not StepKind.objects.filter(code="recheck").exists()


def test_an_administrator_of_an_abolished_department_no_longer_administers_processes(department):
    admin = make_staff("process_admin", department, "department_admin")
    assert selectors.may_design_processes(admin.id)
    department.is_active = False
    department.save(update_fields=["is_active"])
    assert not selectors.may_design_processes(admin.id)
    client = Client()
    login_staff(client, admin)
    assert client.get(PAGE).status_code == 404
    assert client.get(reverse("workflow:designer_new")).status_code == 404


def test_a_process_administrator_adds_and_renames_a_step_kind(department):
    admin = make_staff("process_admin", department, "department_admin")
    client = Client()
    login_staff(client, admin)
    assert "审批" in client.get(PAGE).content.decode()
    response = client.post(PAGE, {"code": "recheck", "name": "复核", "meaning": "review"})
    assert response.status_code == 302
    kind = StepKind.objects.get(code="recheck")
    assert (kind.name, kind.meaning, kind.is_builtin) == ("复核", "review", False)
    edit = reverse("workflow:step_kind_edit", args=[kind.pk])
    assert client.post(edit, {"name": "再审"}).status_code == 302
    kind.refresh_from_db()
    assert (kind.name, kind.meaning) == ("再审", "review")


def test_the_step_kind_forms_show_their_errors(department):
    admin = make_staff("process_admin", department, "department_admin")
    client = Client()
    login_staff(client, admin)
    taken = client.post(PAGE, {"code": "approve", "name": "新审批", "meaning": ""})
    assert taken.status_code == 400
    page = taken.content.decode()
    assert "错误：" in page
    assert "请修改以下问题" in page
    assert "环节类型代码“approve”已被使用，请换一个" in page
    empty = client.post(PAGE, {"code": "", "name": "", "meaning": ""})
    assert "请输入环节类型代码" in empty.content.decode()
    kind = StepKind.objects.get(code="accept")
    renamed = client.post(reverse("workflow:step_kind_edit", args=[kind.pk]), {"name": "审查"})
    assert renamed.status_code == 400
    assert "已有名为“审查”的环节类型，请换一个名称" in renamed.content.decode()
    assert StepKind.objects.get(code="accept").name == "受理"
