"""公文设置: issuing bodies (发文机关, 红头) and templates per 文种, for the 部门管理员 of the body's
department or a 全市系统管理员. Anyone else gets a 404, audited."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tongban.accounts.access import staff_only
from tongban.core.audit import record_request
from tongban.documents import number_register
from tongban.documents.errors import DocumentError
from tongban.documents.forms_settings import IssuingBodyForm, TemplateForm
from tongban.documents.models import DocumentTemplate, IssuingBody
from tongban.documents.services import settings as settings_services
from tongban.organizations.selectors import administered_department_ids, departments_by_ids, staff_scope


def require_administrator(request: HttpRequest, event: str) -> None:
    """公文设置 pages are for administrators; anyone else gets a 404, audited."""
    departments = administered_department_ids(request.user.pk)
    if departments is not None and not departments:
        record_request(request, event=event, object_type="url", object_id=request.path, denied=True)
        raise Http404


def _departments(user_id: int) -> list[tuple[int, str]]:
    scope = staff_scope(user_id)
    if scope is None:
        return []
    return sorted(
        ((d.id, d.name) for d in departments_by_ids(set(scope.department_ids)).values()), key=lambda p: p[1]
    )


def _errors(form: object, exc: DocumentError | None) -> list[tuple[str, str]]:
    errors = [(f"id_{name}", e) for name, field_errors in form.errors.items() for e in field_errors]  # type: ignore[attr-defined]
    if exc is not None:
        field = exc.code if exc.code in form.fields else next(iter(form.fields))  # type: ignore[attr-defined]
        form.add_error(field, exc.message)  # type: ignore[attr-defined]
        errors.append((f"id_{field}", exc.message))
    return errors


def _body_form_page(request: HttpRequest, body: IssuingBody | None) -> HttpResponse:
    user_id = request.user.pk
    initial = (
        {
            "department": str(body.department_id),
            "name": body.name,
            "head_text": body.head_text,
            "code": body.code,
            "is_active": body.is_active,
        }
        if body
        else {"is_active": True}
    )
    form = IssuingBodyForm(
        request.POST if request.method == "POST" else None, initial=initial, departments=_departments(user_id)
    )
    errors: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            settings_services.save_issuing_body(
                user_id=user_id,
                body_id=body.pk if body else None,
                department_id=form.department_id(),
                name=form.cleaned_data["name"],
                head_text=form.cleaned_data["head_text"],
                code=form.cleaned_data["code"],
                is_active=form.cleaned_data["is_active"],
            )
        except DocumentError as exc:
            errors = _errors(form, exc)
        else:
            messages.success(request, _("已保存发文机关：%(name)s") % {"name": form.cleaned_data["name"]})
            return redirect("documents:issuing_bodies")
    elif request.method == "POST":
        errors = _errors(form, None)
    return render(
        request,
        "documents/settings_issuing_bodies.html",
        {
            "bodies": list(number_register.administered_bodies(user_id)),
            "form": form,
            "errors": errors,
            "body": body,
        },
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
@staff_only
def issuing_bodies(request: HttpRequest) -> HttpResponse:
    """发文机关: the bodies of the departments the viewer administers, and a form to add one."""
    require_administrator(request, "document.settings")
    record_request(request, event="document.settings", object_type="issuing_body", object_id="")
    return _body_form_page(request, None)


@require_http_methods(["GET", "POST"])
@staff_only
def issuing_body(request: HttpRequest, body_id: int) -> HttpResponse:
    require_administrator(request, "document.settings")
    body = number_register.administered_bodies(request.user.pk).filter(pk=body_id).first()
    record_request(
        request, event="document.settings", object_type="issuing_body", object_id=body_id, denied=body is None
    )
    if body is None:
        raise Http404
    return _body_form_page(request, body)


def _template_form_page(request: HttpRequest, template: DocumentTemplate | None) -> HttpResponse:
    user_id = request.user.pk
    bodies = [(b.pk, b.name + (f"（{b.code}）")) for b in number_register.administered_bodies(user_id)]
    initial = (
        {
            "issuing_body": str(template.issuing_body_id or ""),
            "kind": template.kind,
            "name": template.name,
            "body_html": template.body_html,
            "is_active": template.is_active,
        }
        if template
        else {"is_active": True}
    )
    form = TemplateForm(request.POST if request.method == "POST" else None, initial=initial, bodies=bodies)
    errors: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            settings_services.save_template(
                user_id=user_id,
                template_id=template.pk if template else None,
                issuing_body_id=form.issuing_body_id(),
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                body_html=form.cleaned_data["body_html"],
                is_active=form.cleaned_data["is_active"],
            )
        except DocumentError as exc:
            errors = _errors(form, exc)
        else:
            messages.success(request, _("已保存公文模板：%(name)s") % {"name": form.cleaned_data["name"]})
            return redirect("documents:templates")
    elif request.method == "POST":
        errors = _errors(form, None)
    return render(
        request,
        "documents/settings_templates.html",
        {
            "templates": list(number_register.administered_templates(user_id)),
            "form": form,
            "errors": errors,
            "template": template,
        },
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
@staff_only
def templates(request: HttpRequest) -> HttpResponse:
    """公文模板: per 文种 and issuing body, with the starter text of the 正文."""
    require_administrator(request, "document.settings")
    record_request(request, event="document.settings", object_type="document_template", object_id="")
    return _template_form_page(request, None)


@require_http_methods(["GET", "POST"])
@staff_only
def template(request: HttpRequest, template_id: int) -> HttpResponse:
    require_administrator(request, "document.settings")
    found = number_register.administered_templates(request.user.pk).filter(pk=template_id).first()
    record_request(
        request,
        event="document.settings",
        object_type="document_template",
        object_id=template_id,
        denied=found is None,
    )
    if found is None:
        raise Http404
    return _template_form_page(request, found)
