"""The designer's pages and JSON endpoints (issue 14): only process administrators (department_admin)
open them; 检查 runs the upload's validation and names the element of each problem; 发布 makes the
next version of the key in the chosen family (running instances keep theirs); a flow's condition is
checked against the restricted grammar as it is typed."""

import json

import pytest
from conftest import make_staff
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.workflow import services
from tongban.workflow.errors import DefinitionError
from tongban.workflow.models import ProcessDefinition
from tongban.workflow.tests.helpers import miwg, shipped, standard_with
from tongban.workflow.validation import validate_definition

pytestmark = pytest.mark.django_db

NO_ROLE = '<camunda:property name="role" value="approver"/>'


@pytest.fixture
def designer(client, department):
    user = make_staff("dept_admin", department, role="department_admin")
    login_staff(client, user)
    client.user = user
    return client


@pytest.mark.parametrize("role", ["clerk", "approver", "supervisor", "catalog_editor"])
def test_only_process_administrators_open_the_designer_or_post_to_it(client, department, role):
    user = make_staff("someone", department, role=role)
    login_staff(client, user)
    definition = ProcessDefinition.objects.get(pk=services.install_shipped_definitions()[0])
    assert client.get(reverse("workflow:designer_new")).status_code == 404
    assert client.get(reverse("workflow:designer_edit", args=[definition.pk])).status_code == 404
    model = {"xml": shipped("standard").decode(), "key": "mine", "family": "internal"}
    for name in ("designer_check", "designer_condition", "designer_publish"):
        assert client.post(reverse(f"workflow:{name}"), model).status_code == 404
    assert ProcessDefinition.objects.filter(key="mine").count() == 0


def test_anonymous_visitors_go_to_the_staff_login(client):
    response = client.get(reverse("workflow:designer_new"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:staff_login"))


def test_a_new_model_has_a_start_and_an_end_event(designer):
    page = designer.get(reverse("workflow:designer_new"))
    assert page.status_code == 200
    data = json.loads(
        page.content.decode().split('id="designer-data" type="application/json">')[1].split("</script>")[0]
    )
    assert 'startEvent id="StartEvent_1"' in data["xml"]
    assert 'endEvent id="EndEvent_1"' in data["xml"]
    assert ["approver", "审批人"] in data["roles"] or any(
        code == "approver" for code, _label in data["roles"]
    )
    assert [code for code, _label in data["stepKinds"]][:2] == ["accept", "review"]
    # A blank model is not runnable yet: it has no human step.
    with pytest.raises(DefinitionError) as refused:
        validate_definition(data["xml"].encode())
    assert refused.value.details[0].endswith("流程中没有人工办理环节")
    assert "<script>" not in page.content.decode()  # CSP: no inline script, data in json_script


def test_a_version_opens_in_the_designer_with_its_key(designer):
    definition = ProcessDefinition.objects.get(key="standard", pk__in=services.install_shipped_definitions())
    page = designer.get(reverse("workflow:designer_edit", args=[definition.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="key" value="standard"' in body
    assert "readonly" in body
    assert "基于 standard v1" in body


def test_check_names_the_element_of_each_problem(designer):
    broken = standard_with(NO_ROLE, '<camunda:property name="role" value="nobody"/>')
    answer = designer.post(reverse("workflow:designer_check"), {"xml": broken.decode()}).json()
    assert answer["ok"] is False
    [problem] = answer["problems"]
    assert problem["element_id"] == "decide"
    assert problem["message"].startswith("流程元素“决定”（decide）：须用属性 role 指定办理角色")


def test_check_accepts_a_runnable_model(designer):
    answer = designer.post(reverse("workflow:designer_check"), {"xml": shipped("standard").decode()}).json()
    assert answer == {"ok": True, "problems": [], "steps": ["受理", "审查", "决定", "办结", "送达"]}


def test_a_condition_is_checked_as_it_is_typed(designer):
    url = reverse("workflow:designer_condition")
    assert designer.post(url, {"expression": "amount > 10000 and urgent"}).json() == {"error": None}
    refused = designer.post(url, {"expression": "__import__('os').system('x')"}).json()["error"]
    assert refused.startswith("条件")
    assert designer.post(url, {"expression": "amount >"}).json()["error"].startswith("条件表达式")


def test_publishing_makes_the_next_version_in_the_chosen_family(designer):
    publish = reverse("workflow:designer_publish")
    first = designer.post(
        publish, {"xml": shipped("standard").decode(), "key": "leave", "family": "internal"}
    )
    assert first.status_code == 200
    v1 = ProcessDefinition.objects.get(key="leave")
    assert first.json() == {"ok": True, "url": reverse("workflow:definition", args=[v1.pk])}
    assert (v1.version, v1.family, v1.is_runnable, v1.uploaded_by_id) == (
        1,
        "internal",
        True,
        designer.user.id,
    )

    changed = standard_with('name="决定"', 'name="审批"')
    # The opened version says which process it is; a posted key cannot make it another one's.
    second = designer.post(
        publish, {"xml": changed.decode(), "key": "other", "family": "internal", "based_on": v1.pk}
    )
    assert second.status_code == 200
    assert list(
        ProcessDefinition.objects.filter(key="leave").values_list("version", flat=True).order_by("version")
    ) == [1, 2]
    assert ProcessDefinition.objects.get(key="leave", version=1).bpmn_xml == shipped("standard").decode()


def test_publishing_a_broken_model_stores_nothing_and_says_where(designer):
    broken = standard_with(">accepted</bpmn:conditionExpression>", ">accepted =</bpmn:conditionExpression>")
    answer = designer.post(
        reverse("workflow:designer_publish"), {"xml": broken.decode(), "key": "leave", "family": "internal"}
    )
    assert answer.status_code == 400
    problems = answer.json()["problems"]
    assert [problem["element_id"] for problem in problems] == [_flow_with_condition()]
    assert problems[0]["message"].startswith("流程元素")
    assert not ProcessDefinition.objects.filter(key="leave").exists()


def _flow_with_condition() -> str:
    text = shipped("standard").decode()
    before = text.split("<bpmn:conditionExpression")[0]
    return before.rsplit('<bpmn:sequenceFlow id="', 1)[1].split('"')[0]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"key": "", "family": "internal"}, {"key": "请输入流程标识"}),
        ({"key": "请假", "family": "internal"}, {"key": "流程标识只能包含字母、数字、下划线和连字符"}),
        ({"key": "leave", "family": "nothing"}, {"family": "请选择流程类别"}),
    ],
)
def test_publishing_needs_a_key_and_a_family(designer, fields, expected):
    answer = designer.post(
        reverse("workflow:designer_publish"), {"xml": shipped("standard").decode(), **fields}
    )
    assert answer.status_code == 400
    assert answer.json()["fields"] == expected
    assert not ProcessDefinition.objects.exists()


def test_a_view_only_reference_model_is_refused_on_publishing_with_its_reasons(designer):
    answer = designer.post(
        reverse("workflow:designer_publish"),
        {"xml": miwg("C.9.1").decode(), "key": "c91", "family": "internal"},
    )
    assert answer.status_code == 400
    problems = answer.json()["problems"]
    assert {
        "element_id": "BoundaryEvent_2",
        "message": '流程元素“1 week”（BoundaryEvent_2）：定时器表达式“P7D”须写成带引号的字符串，例如 "PT1H"',
    } in problems
    assert len(problems) == 5
    assert not ProcessDefinition.objects.filter(key="c91").exists()


def test_a_new_drawing_cannot_take_the_key_of_another_process(designer):
    services.install_shipped_definitions()
    answer = designer.post(
        reverse("workflow:designer_publish"),
        {"xml": shipped("instant").decode(), "key": "standard", "family": "application"},
    )
    assert answer.status_code == 400
    assert answer.json()["fields"] == {
        "key": "流程标识“standard”已被其他流程使用；要修改该流程，请在流程定义中点“设计”"
    }
    assert ProcessDefinition.objects.filter(key="standard").count() == 1


def test_publishing_on_a_version_one_may_not_open_is_a_404(client, department):
    """based_on is looked up as the page is: only what the designer may open."""
    user = make_staff("clerk", department, role="clerk")
    login_staff(client, user)
    answer = client.post(
        reverse("workflow:designer_publish"),
        {"xml": shipped("standard").decode(), "key": "x", "family": "internal", "based_on": "999"},
    )
    assert answer.status_code == 404
