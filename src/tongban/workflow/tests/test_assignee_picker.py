"""The person pickers of 发起人自选 and 审批人自选: the include renders one fieldset per step with the
selectable staff, and ``parse_assignee_choices`` answers with clear Chinese errors per step."""

import pytest
from django.http import QueryDict
from django.template.loader import render_to_string

from tongban.workflow.errors import AssigneeChoiceError
from tongban.workflow.forms import assignee_picker, parse_assignee_choices
from tongban.workflow.types import StepOutline

STEPS = [
    StepOutline(element_id="lead", name="分管领导审批"),
    StepOutline(element_id="chief", name="主要领导审批"),
]
STAFF = [(7, "王芳"), (9, "李强")]


def _post(text: str) -> QueryDict:
    return QueryDict(text)


def test_chosen_people_are_parsed_by_step():
    assert parse_assignee_choices(
        _post("assignee_lead=7&assignee_lead=9&assignee_chief=9"), STEPS, selectable={7, 9}
    ) == {
        "lead": [7, 9],
        "chief": [9],
    }


def test_a_step_without_anyone_chosen_or_with_someone_not_offered_is_refused():
    with pytest.raises(AssigneeChoiceError) as refused:
        parse_assignee_choices(_post("assignee_chief=12&assignee_x=7"), STEPS, selectable={7, 9})
    assert refused.value.field_errors == {
        "assignee_lead": "请为“分管领导审批”环节选择办理人",
        "assignee_chief": "为“主要领导审批”环节选择的人员不在可选范围内，请重新选择",
    }
    with pytest.raises(AssigneeChoiceError) as not_a_number:
        parse_assignee_choices(_post("assignee_lead=7&assignee_chief=abc"), STEPS, selectable={7, 9})
    assert list(not_a_number.value.field_errors) == ["assignee_chief"]


def test_the_include_shows_each_step_its_people_ticks_and_error():
    post = _post("assignee_chief=9")
    try:
        parse_assignee_choices(post, STEPS, selectable={7, 9})
    except AssigneeChoiceError as error:
        picker = assignee_picker(STEPS, STAFF, post_data=post, error=error)
    html = render_to_string("workflow/_assignee_choice.html", {"picker": picker})
    assert html.count("<fieldset") == 2
    assert "“分管领导审批”环节的办理人" in html
    assert "“主要领导审批”环节的办理人" in html
    assert 'id="assignee_lead_error"' in html
    assert "请为“分管领导审批”环节选择办理人" in html
    assert 'id="assignee_chief_1" name="assignee_chief" value="9" checked' in html
    assert 'id="assignee_lead_0" name="assignee_lead" value="7">' in html
    assert "assignee_chief_error" not in html
