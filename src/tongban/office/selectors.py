"""内部事项 reads: what a staff member may start, their requests, one request for its viewer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from tongban.accounts.selectors import names_of
from tongban.office.models import InternalRequest, RequestEvent, RequestForm
from tongban.organizations.selectors import departments_by_ids, roles_of
from tongban.organizations.types import DepartmentRef
from tongban.schemaforms.definition import read_definition
from tongban.workflow import selectors as workflow_selectors
from tongban.workflow.subjects import SubjectSummary
from tongban.workflow.types import PublishedProcess

PREFIX = "request:"
INTERNAL_FAMILY = "internal"  # ProcessDefinition.family of 内部事项 (docs/process-models.md)


@dataclass(frozen=True)
class FormDefinition:
    key: str
    name: str
    schema: dict[str, Any]
    ui_schema: dict[str, Any]


def request_id_of(subject: str) -> int | None:
    """The request id of a workflow subject ``request:<id>``; None for any other subject."""
    if not subject.startswith(PREFIX) or not subject[len(PREFIX) :].isdigit():
        return None
    return int(subject[len(PREFIX) :])


def form_for(key: str) -> FormDefinition | None:
    """The form ``key``, installing the shipped forms on first use (like the shipped processes)."""
    form = RequestForm.objects.filter(key=key).first()
    if form is None and key:
        from tongban.office.services import install_shipped_forms

        install_shipped_forms()
        form = RequestForm.objects.filter(key=key).first()
    if form is None:
        return None
    return FormDefinition(key=form.key, name=form.name, schema=form.schema, ui_schema=form.ui_schema)


def forms() -> list[RequestForm]:
    return list(RequestForm.objects.order_by("key"))


def form_fields(key: str) -> dict[str, str]:
    """Top-level field name → label of the form ``key`` (a group by its legend)."""
    form = form_for(key)
    if form is None:
        return {}
    return {spec.key: spec.label for spec in read_definition(form.schema, form.ui_schema)}


def may_start(user_id: int, process: PublishedProcess) -> bool:
    """Every staff member may start a process without ``starters``; otherwise those holding one of
    its roles (in any department)."""
    starters = {r.strip() for r in process.properties.get("starters", "").split(",") if r.strip()}
    return not starters or any(role in starters for _d, role in roles_of(user_id=user_id))


def startable_processes(user_id: int) -> list[PublishedProcess]:
    """The published internal processes the user may start, by name."""
    return [p for p in workflow_selectors.published_processes(INTERNAL_FAMILY) if may_start(user_id, p)]


def startable_process(user_id: int, key: str) -> PublishedProcess | None:
    process = workflow_selectors.published_process(key)
    if process is None or process.family != INTERNAL_FAMILY or not may_start(user_id, process):
        return None
    return process


def initiator_departments(user_id: int) -> list[DepartmentRef]:
    """The departments the user works in (holds a role in), by name: a request's department."""
    found = departments_by_ids({d for d, _role in roles_of(user_id=user_id)})
    return sorted(found.values(), key=lambda d: (d.name, d.id))


@dataclass(frozen=True)
class RequestRow:
    request: InternalRequest
    current_steps: str


def requests_of(user_id: int) -> list[RequestRow]:
    """我的申请: the user's requests, newest first, each with its open steps' names."""
    requests = list(InternalRequest.objects.filter(initiator_id=user_id)[:200])
    return [
        RequestRow(
            request=r,
            current_steps="、".join(t.name for t in workflow_selectors.open_tasks_of(r.subject)),
        )
        for r in requests
    ]


def get_request_for(user_id: int, request_id: int) -> InternalRequest | None:
    """The request when the viewer started it, has or had a step of it, or was sent a copy of it;
    None otherwise (the page answers 404)."""
    request = InternalRequest.objects.filter(pk=request_id).first()
    if request is None:
        return None
    if request.initiator_id == user_id:
        return request
    subject = request.subject
    if workflow_selectors.has_had_task_on(user_id, subject) or workflow_selectors.has_copy_of(
        user_id, subject
    ):
        return request
    return None


def events_of(request: InternalRequest) -> list[RequestEvent]:
    return list(request.events.all())


def describe_requests(subjects: list[str]) -> dict[str, SubjectSummary]:
    """Task lists of every family (待办/已办) show a request by its number, title and initiator."""
    ids = {request_id_of(s) for s in subjects} - {None}
    requests = list(InternalRequest.objects.filter(pk__in=ids))
    names = names_of({r.initiator_id for r in requests})
    return {
        r.subject: SubjectSummary(
            number=r.number or "",
            title=f"{r.process_name}：{r.title}",
            party=names.get(r.initiator_id, ""),
            page_url=reverse("office:request", args=[r.pk]),
            task_url=lambda task_id: reverse("office:task", args=[task_id]),
            claim_url=lambda task_id: reverse("office:claim", args=[task_id]),
        )
        for r in requests
    }
