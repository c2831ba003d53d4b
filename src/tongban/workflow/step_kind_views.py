"""环节类型 (/staff/step-kinds/): process administrators list the step kinds, add one with its
application meaning, and rename one (``services.step_kinds`` has the rules). Anyone else: 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tongban.accounts.access import staff_only
from tongban.core.errors import TongbanError
from tongban.workflow import selectors, services
from tongban.workflow.forms import StepKindForm


def _allowed(request: HttpRequest) -> None:
    if not selectors.may_change_shared_process_settings(request.user.pk):
        raise Http404


def _list_page(request: HttpRequest, form: StepKindForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "workflow/step_kinds.html",
        {"kinds": selectors.step_kinds_table(), "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@staff_only
def step_kinds(request: HttpRequest) -> HttpResponse:
    """The step kinds, and the form that adds one."""
    _allowed(request)
    if request.method == "GET":
        return _list_page(request, StepKindForm())
    form = StepKindForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        services.create_step_kind(
            actor_id=request.user.pk, code=data["code"], name=data["name"], meaning=data.get("meaning") or ""
        )
    except TongbanError as error:
        form.add_service_error(error)
        return _list_page(request, form, status=error.status)
    messages.success(request, _("已添加环节类型：%(name)s") % {"name": data["name"].strip()})
    return redirect("workflow:step_kinds")


@require_http_methods(["GET", "POST"])
@staff_only
def step_kind_edit(request: HttpRequest, kind_id: int) -> HttpResponse:
    """修改环节类型名称 (its code and meaning stay)."""
    _allowed(request)
    kind = next((k for k in selectors.step_kinds_table() if k.id == kind_id), None)
    if kind is None:
        raise Http404
    form = StepKindForm(request.POST if request.method == "POST" else None, initial={"name": kind.name})
    if request.method == "POST":
        form.is_valid()
        try:
            services.rename_step_kind(
                actor_id=request.user.pk, kind_id=kind_id, name=form.cleaned_data["name"]
            )
        except TongbanError as error:
            if error.status == 404:
                raise Http404 from error
            form.add_service_error(error)
        else:
            messages.success(request, _("已修改环节类型名称"))
            return redirect("workflow:step_kinds")
    status = 400 if form.errors else 200
    return render(request, "workflow/step_kind_edit.html", {"kind": kind, "form": form}, status=status)
