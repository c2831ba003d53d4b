"""发起: the processes a person may start and the start form with its pickers."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tongban.accounts.access import staff_only
from tongban.core.errors import TongbanError
from tongban.office import selectors, services
from tongban.office.forms import DepartmentForm
from tongban.office.views.common import (
    choice_errors,
    chosen_assignees,
)
from tongban.schemaforms import SchemaForm
from tongban.workflow import selectors as workflow_selectors
from tongban.workflow.forms import assignee_picker

OTHER_CATEGORY = "其他"


@require_GET
@staff_only
def start(request: HttpRequest) -> HttpResponse:
    """发起: the internal processes the user may start, grouped by their ``category`` property."""
    groups: dict[str, list[Any]] = {}
    for process in selectors.startable_processes(request.user.pk):
        groups.setdefault(process.properties.get("category") or OTHER_CATEGORY, []).append(process)
    ordered = sorted(groups.items(), key=lambda pair: (pair[0] == OTHER_CATEGORY, pair[0]))
    return render(request, "office/start.html", {"groups": ordered})


@require_http_methods(["GET", "POST"])
@staff_only
def start_form(request: HttpRequest, key: str) -> HttpResponse:
    """The chosen process's form; a valid POST starts the request (once, however often it is sent)."""
    process = selectors.startable_process(request.user.pk, key)
    form_definition = selectors.form_for(process.properties.get("form", "")) if process else None
    if process is None or form_definition is None:
        raise Http404
    departments = selectors.initiator_departments(request.user.pk)
    posted = request.POST if request.method == "POST" else None
    form = SchemaForm(
        form_definition.schema,
        form_definition.ui_schema,
        data=posted,
        files=request.FILES,
        owner_id=request.user.pk,
    )
    department_form = DepartmentForm(
        posted, departments=departments, initial={"department": departments[0].id if departments else None}
    )
    idempotency_key = (posted or {}).get("idempotency_key") or uuid.uuid4().hex
    choice_steps = workflow_selectors.initiator_choice_steps(process.key)
    staff = workflow_selectors.choosable_staff() if choice_steps else []
    chosen, choice_error = chosen_assignees(posted, choice_steps, staff)
    refusal = ""
    status = 200
    if posted is not None:
        if form.is_valid() and department_form.is_valid() and choice_error is None:
            try:
                request_id = services.start_request(
                    user_id=request.user.pk,
                    username=request.user.get_username(),
                    process_key=process.key,
                    department_id=department_form.cleaned_data["department"],
                    answers=form.cleaned_data,
                    idempotency_key=str(idempotency_key)[:64],
                    chosen_assignees=chosen,
                )
            except TongbanError as exc:
                if exc.status == 404:
                    raise Http404 from exc
                refusal, status = exc.message, exc.status
            else:
                messages.success(request, _("已发起：%(name)s") % {"name": process.name})
                return redirect("office:request", request_id=request_id)
        else:
            # 增加一行 / 删除 of a 明细表 re-renders the form: nothing was refused.
            status = 200 if form.is_editing_rows else 400
    errors = list(form.errors)
    if len(departments) > 1:
        errors = [("id_department_0", e) for e in department_form.errors.get("department", [])] + errors
    errors += choice_errors(choice_error)
    if refusal:
        errors.insert(0, ("main", refusal))
    return render(
        request,
        "office/start_form.html",
        {
            "process": process,
            "form": form,
            "department_form": department_form,
            "several_departments": len(departments) > 1,
            "no_department": not departments,
            "errors": errors,
            "idempotency_key": idempotency_key,
            "picker": assignee_picker(choice_steps, staff, post_data=posted, error=choice_error),
        },
        status=status,
    )
