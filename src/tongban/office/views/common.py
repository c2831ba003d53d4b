"""What several 内部事项 pages share: the request a viewer may see, its answers and record, the pickers."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, QueryDict

from tongban.accounts.selectors import names_of
from tongban.core.audit import record_request
from tongban.office import selectors
from tongban.office.models import InternalRequest
from tongban.office.permissions import field_permissions
from tongban.organizations.selectors import departments_by_ids
from tongban.schemaforms import SchemaForm
from tongban.workflow import selectors as workflow_selectors
from tongban.workflow.errors import AssigneeChoiceError
from tongban.workflow.forms import parse_assignee_choices


def chosen_assignees(
    posted: QueryDict | None, steps: list[Any], staff: list[tuple[int, str]]
) -> tuple[dict[str, list[int]], AssigneeChoiceError | None]:
    """The people chosen in a page's pickers (发起人自选, 审批人自选), or the error naming each step."""
    if posted is None or not steps:
        return {}, None
    try:
        return parse_assignee_choices(posted, steps, selectable={user_id for user_id, _name in staff}), None
    except AssigneeChoiceError as exc:
        return {}, exc


def choice_errors(error: AssigneeChoiceError | None) -> list[tuple[str, str]]:
    return [(f"{field}_0", message) for field, message in error.field_errors.items()] if error else []


def visible_request(request: HttpRequest, request_id: int, event: str = "request.viewed") -> InternalRequest:
    found = selectors.get_request_for(request.user.pk, request_id)
    record_request(
        request, event=event, object_type="internal_request", object_id=request_id, denied=found is None
    )
    if found is None:
        raise Http404
    return found


def visible_fields(viewer_id: int, found: InternalRequest) -> list[str]:
    """The initiator sees every answer; anyone else not those hidden at any step of the process."""
    names = list(selectors.form_fields(found.form_key))
    if viewer_id == found.initiator_id:
        return names
    hidden: set[str] = set()
    for properties in workflow_selectors.task_properties_of(found.subject):
        hidden |= field_permissions(properties).hidden
    return [n for n in names if n not in hidden]


def answers_form(found: InternalRequest, only: list[str]) -> SchemaForm | None:
    definition = selectors.form_for(found.form_key)
    if definition is None or not only:
        return None
    return SchemaForm(definition.schema, definition.ui_schema, initial=found.answers, only=only)


def request_record(found: InternalRequest) -> list[tuple[Any, str, str]]:
    record = workflow_selectors.process_record(found.subject)
    people = names_of({r.assignee_id for r in record if r.assignee_id})
    departments = departments_by_ids({r.department_id for r in record})
    return [(r, people.get(r.assignee_id or 0, ""), departments[r.department_id].short_name) for r in record]
