"""The request forms (表单) process administrators edit."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tongban.accounts.access import staff_only
from tongban.core.errors import TongbanError
from tongban.office import selectors, services
from tongban.office.forms import RequestFormEditForm
from tongban.workflow import selectors as workflow_selectors


@require_GET
@staff_only
def request_forms(request: HttpRequest) -> HttpResponse:
    """内部事项表单: the forms internal processes name by their ``form`` property."""
    if not workflow_selectors.may_change_shared_process_settings(request.user.pk):
        raise Http404
    services.install_shipped_forms()  # a new database lists the shipped forms too
    return render(request, "office/forms.html", {"forms": selectors.forms()})


@require_http_methods(["GET", "POST"])
@staff_only
def request_form(request: HttpRequest, key: str) -> HttpResponse:
    """View and edit one form's JSON (or a new one); the form engine's every problem is listed."""
    if not workflow_selectors.may_change_shared_process_settings(request.user.pk):
        raise Http404
    current = selectors.form_for(key)
    initial = (
        {
            "name": current.name,
            "schema": json.dumps(current.schema, ensure_ascii=False, indent=2),
            "ui_schema": json.dumps(current.ui_schema, ensure_ascii=False, indent=2),
        }
        if current
        else {}
    )
    form = RequestFormEditForm(request.POST if request.method == "POST" else None, initial=initial)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.save_form(
                    key=key,
                    name=form.cleaned_data["name"],
                    schema=form.cleaned_data["schema"],
                    ui_schema=form.cleaned_data["ui_schema"],
                )
            except TongbanError as exc:
                problems = exc.details or [exc.message]
            else:
                messages.success(request, _("已保存表单：%(name)s") % {"name": form.cleaned_data["name"]})
                return redirect("office:forms")
    errors = [(f"id_{name}", error) for name, field_errors in form.errors.items() for error in field_errors]
    errors += [("id_schema", problem) for problem in problems]
    return render(
        request,
        "office/form_edit.html",
        {"key": key, "form": form, "errors": errors, "is_new": current is None},
        status=status,
    )
