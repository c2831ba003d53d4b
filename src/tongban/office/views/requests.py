"""我的申请 and one request: record, diagram, 审批表, 撤销, 催办."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tongban.accounts.access import staff_only
from tongban.accounts.selectors import names_of
from tongban.applications.approval_sheet import SheetData, local_time, render_approval_sheet, sheet_steps
from tongban.core.errors import TongbanError
from tongban.office import selectors, services
from tongban.office.models import InternalRequest
from tongban.office.views.common import (
    answers_form,
    request_record,
    visible_fields,
    visible_request,
)
from tongban.organizations.selectors import departments_by_ids
from tongban.workflow import selectors as workflow_selectors
from tongban.workflow import services as workflow_services
from tongban.workflow.phrases import signatures_of


@require_GET
@staff_only
def my_requests(request: HttpRequest) -> HttpResponse:
    """我的申请: the requests I started, with their current steps and status."""
    return render(request, "office/requests.html", {"rows": selectors.requests_of(request.user.pk)})


def _request_context(request: HttpRequest, found: InternalRequest) -> dict[str, Any]:
    is_initiator = found.initiator_id == request.user.pk
    open_tasks = workflow_selectors.open_tasks_of(found.subject)
    today = timezone.localdate()
    events = selectors.events_of(found)
    diagram = workflow_selectors.diagram_state(found.subject)
    return {
        "req": found,
        "initiator": names_of({found.initiator_id}).get(found.initiator_id, ""),
        "department": departments_by_ids({found.department_id})[found.department_id],
        "answers": answers_form(found, visible_fields(request.user.pk, found)),
        "record": request_record(found),
        "events": [(e, names_of({e.actor_id}).get(e.actor_id, "")) for e in events],
        "steps": diagram.steps if diagram else [],
        "process_url": reverse("office:request_process", args=[found.pk]),
        "can_cancel": is_initiator and found.status == "running",
        "nudgeable": [t for t in open_tasks if services.may_nudge(t, today=today)] if is_initiator else [],
        "is_initiator": is_initiator,
    }


@require_GET
@staff_only
def request_page(request: HttpRequest, request_id: int) -> HttpResponse:
    """One request: answers, process record and diagram, 审批表, and the initiator's 撤销 / 催办."""
    found = visible_request(request, request_id)
    workflow_services.mark_copy_read(subject=found.subject, user_id=request.user.pk)
    return render(request, "office/request.html", _request_context(request, found))


def _refused_request_page(
    request: HttpRequest, found: InternalRequest, exc: TongbanError, field: str
) -> HttpResponse:
    context = _request_context(request, found) | {"refusal": exc.message, "refusal_field": field}
    return render(request, "office/request.html", context, status=exc.status)


@require_GET
@staff_only
def request_process(request: HttpRequest, request_id: int) -> JsonResponse:
    """The diagram's data for bpmn-js: the BPMN and the done and current elements."""
    found = visible_request(request, request_id)
    diagram = workflow_selectors.diagram_state(found.subject)
    if diagram is None:
        raise Http404
    return JsonResponse({"xml": diagram.bpmn_xml, "done": diagram.done, "current": diagram.current})


@require_GET
@staff_only
def approval_sheet(request: HttpRequest, request_id: int) -> HttpResponse:
    """审批表 (PDF): the request's facts and answers, and every completed step with its opinion."""
    found = visible_request(request, request_id, event="request.approval_sheet")
    record = [r for r in workflow_selectors.process_record(found.subject) if r.status == "completed"]
    people = names_of({r.assignee_id for r in record if r.assignee_id} | {found.initiator_id})
    signatures = signatures_of({r.assignee_id for r in record if r.assignee_id})
    departments = departments_by_ids({r.department_id for r in record} | {found.department_id})
    answers = answers_form(found, visible_fields(request.user.pk, found))
    sheet = SheetData(
        title=_("%(name)s审批表") % {"name": found.process_name},
        facts=[
            (_("编号"), found.number or ""),
            (_("标题"), found.title),
            (_("发起人"), people.get(found.initiator_id, "")),
            (_("发起部门"), departments[found.department_id].name),
            (_("发起时间"), local_time(found.created_at)),
            (_("结束时间"), local_time(found.ended_at)),
            (_("状态"), str(found.get_status_display())),
        ],
        steps=sheet_steps(record, departments=departments, people=people, signatures=signatures),
        answers=[(f.label, f.answer) for f in answers.all_fields()] if answers else [],
    )
    response = HttpResponse(render_approval_sheet(sheet), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="approval-sheet-{found.number}.pdf"'
    return response


@require_POST
@staff_only
def cancel(request: HttpRequest, request_id: int) -> HttpResponse:
    """撤销 by the initiator while nobody has acted on the request."""
    found = visible_request(request, request_id)
    try:
        services.cancel_request(
            request_id=found.pk, user_id=request.user.pk, reason=request.POST.get("reason", "")
        )
    except TongbanError as exc:
        if exc.status == 404:
            raise Http404 from exc
        return _refused_request_page(request, found, exc, "cancel")
    messages.success(request, _("已撤销：%(number)s") % {"number": found.number})
    return redirect("office:request", request_id=found.pk)


@require_POST
@staff_only
def nudge(request: HttpRequest, request_id: int, task_id: uuid.UUID) -> HttpResponse:
    """催办 an open step of my request (once a step a day)."""
    found = visible_request(request, request_id)
    try:
        told = services.nudge_step(request_id=found.pk, user_id=request.user.pk, task_id=task_id)
    except TongbanError as exc:
        if exc.status == 404:
            raise Http404 from exc
        # The page may offer no 催办 button now (too early): the summary points at the page.
        return _refused_request_page(request, found, exc, "main")
    messages.success(request, _("已催办，已通知%(n)d人") % {"n": told})
    return redirect("office:request", request_id=found.pk)


# The task page
