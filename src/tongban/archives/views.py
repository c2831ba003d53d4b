"""档案 pages: the 件 list and one 件 for 档案管理员 (their departments' archive), its package, and the
归档范围与保管期限表 (administrators edit it). Every view is audited; another department's 件 is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongban.accounts.access import staff_only
from tongban.archives import selectors, services
from tongban.archives.errors import ArchiveError
from tongban.archives.forms import ArchiveSearchForm, OrganisationCodeForm, RetentionRuleForm
from tongban.archives.integrity import CHECK_LABELS, check_integrity
from tongban.archives.models import ArchiveRecord, RetentionRule
from tongban.archives.packages import export_package
from tongban.core.audit import record_request
from tongban.organizations.selectors import departments_by_ids, staff_scope


def _visible_record(request: HttpRequest, record_id: int, event: str) -> ArchiveRecord:
    record = selectors.get_record_for(request.user.pk, record_id)
    record_request(
        request, event=event, object_type="archive_record", object_id=record_id, denied=record is None
    )
    if record is None:
        raise Http404
    return record


def _require(request: HttpRequest, allowed: bool, event: str) -> None:
    if not allowed:
        record_request(request, event=event, object_type="url", object_id=request.path, denied=True)
        raise Http404


@require_GET
@staff_only
def records(request: HttpRequest) -> HttpResponse:
    """档案: the 件 of the viewer's departments, searchable by year and words."""
    _require(request, selectors.may_read_archive(request.user.pk), "archive.list")
    form = ArchiveSearchForm(request.GET or None)
    year, query = None, ""
    if form.is_valid():
        year, query = form.cleaned_data["year"], form.cleaned_data["q"].strip()
    found = selectors.records_for(request.user.pk, year=year, query=query)
    record_request(
        request, event="archive.list", object_type="archive_record", object_id=f"{year or ''} {query}"
    )
    return render(
        request,
        "archives/records.html",
        {"form": form, "records": found, "may_edit_schedule": selectors.may_edit_schedule(request.user.pk)},
    )


@require_GET
@staff_only
def record(request: HttpRequest, record_id: int) -> HttpResponse:
    """One 件: its 归档章 fields, metadata, files and a fresh 四性检测."""
    found = _visible_record(request, record_id, "archive.view")
    [report] = check_integrity(record_ids=[found.pk])
    checks = [(CHECK_LABELS[c.check], c) for c in report.checks]
    return render(
        request,
        "archives/record.html",
        {"record": found, "files": list(found.files.all()), "checks": checks, "report": report},
    )


@require_GET
@staff_only
def record_package(request: HttpRequest, record_id: int) -> HttpResponse:
    """The 件's archive package (zip: files, metadata.json, manifest.json)."""
    found = _visible_record(request, record_id, "archive.export")
    response = HttpResponse(export_package(found.pk), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="archive-{found.pk}.zip"'
    return response


def _rule_initial(rule: RetentionRule | None) -> dict[str, object]:
    if rule is None:
        last = RetentionRule.objects.order_by("-position").values_list("position", flat=True).first() or 0
        return {"position": last + 10}
    return {
        "position": rule.position,
        "kind": rule.kind,
        "source": rule.source,
        "title_contains": rule.title_contains,
        "retention": rule.retention,
        "note": rule.note,
    }


def _form_errors(form: RetentionRuleForm) -> list[tuple[str, str]]:
    return [(f"id_{name}", error) for name, errors in form.errors.items() for error in errors]


def _save_rule(request: HttpRequest, form: RetentionRuleForm, rule_id: int | None) -> list[tuple[str, str]]:
    if not form.is_valid():
        return _form_errors(form)
    try:
        services.save_retention_rule(user_id=request.user.pk, rule_id=rule_id, **form.cleaned_data)
    except ArchiveError as exc:
        return [(f"id_{exc.code}" if exc.code in form.fields else "id_kind", exc.message)]
    return []


@require_http_methods(["GET", "POST"])
@staff_only
def retention(request: HttpRequest) -> HttpResponse:
    """归档范围与保管期限表: archivists read it, administrators add rows."""
    user_id = request.user.pk
    may_edit = selectors.may_edit_schedule(user_id)
    _require(request, may_edit or selectors.may_read_archive(user_id), "archive.retention")
    record_request(request, event="archive.retention", object_type="retention_rule", object_id="")
    form = RetentionRuleForm(request.POST if request.method == "POST" else None, initial=_rule_initial(None))
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        _require(request, may_edit, "archive.retention_rule_saved")
        errors = _save_rule(request, form, None)
        if not errors:
            messages.success(request, _("已添加保管期限规则"))
            return redirect("archives:retention")
    return _retention_page(request, form=form, errors=errors, may_edit=may_edit)


def _scope_departments(user_id: int) -> list[tuple[int, str]]:
    scope = staff_scope(user_id)
    if scope is None:
        return []
    found = departments_by_ids(set(scope.department_ids)).values()
    return sorted(((d.id, d.name) for d in found), key=lambda pair: pair[1])


def _retention_page(
    request: HttpRequest,
    *,
    form: RetentionRuleForm,
    errors: list[tuple[str, str]],
    may_edit: bool,
    code_form: OrganisationCodeForm | None = None,
) -> HttpResponse:
    departments = _scope_departments(request.user.pk) if may_edit else []
    codes = selectors.organisation_codes()
    return render(
        request,
        "archives/retention.html",
        {
            "rules": selectors.retention_rules(),
            "form": form,
            "errors": errors,
            "may_edit": may_edit,
            "code_form": code_form or OrganisationCodeForm(departments=departments),
            "codes": [(name, codes.get(pk, "")) for pk, name in departments],
            "default_code": selectors.default_organisation_code(),
        },
        status=400 if errors else 200,
    )


@require_POST
@staff_only
def organisation_code(request: HttpRequest) -> HttpResponse:
    """Set a department's 机构（问题）代码 (administrators of the department)."""
    user_id = request.user.pk
    _require(request, selectors.may_edit_schedule(user_id), "archive.organisation_code_set")
    code_form = OrganisationCodeForm(request.POST, departments=_scope_departments(user_id))
    code_form.is_valid()
    department = code_form.cleaned_data.get("department", "")
    errors: list[tuple[str, str]] = []
    if not (department.isascii() and department.isdigit()):
        errors = [("id_department", _("请选择部门"))]
    else:
        try:
            services.set_organisation_code(
                user_id=user_id, department_id=int(department), code=code_form.cleaned_data.get("code", "")
            )
        except ArchiveError as exc:
            errors = [("id_code", exc.message)]
    if errors:
        code_form.add_error(errors[0][0].removeprefix("id_"), errors[0][1])
        return _retention_page(
            request,
            form=RetentionRuleForm(initial=_rule_initial(None)),
            errors=errors,
            may_edit=True,
            code_form=code_form,
        )
    messages.success(request, _("已保存机构代码"))
    return redirect("archives:retention")


@require_http_methods(["GET", "POST"])
@staff_only
def retention_rule(request: HttpRequest, rule_id: int) -> HttpResponse:
    """Change one row of the schedule (administrators)."""
    _require(request, selectors.may_edit_schedule(request.user.pk), "archive.retention_rule_saved")
    rule = RetentionRule.objects.filter(pk=rule_id).first()
    if rule is None:
        raise Http404
    form = RetentionRuleForm(request.POST if request.method == "POST" else None, initial=_rule_initial(rule))
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        errors = _save_rule(request, form, rule.pk)
        if not errors:
            messages.success(request, _("已保存保管期限规则"))
            return redirect("archives:retention")
    return render(
        request,
        "archives/retention_rule.html",
        {"rule": rule, "form": form, "errors": errors},
        status=400 if errors else 200,
    )


@require_POST
@staff_only
def delete_retention_rule(request: HttpRequest, rule_id: int) -> HttpResponse:
    _require(request, selectors.may_edit_schedule(request.user.pk), "archive.retention_rule_deleted")
    services.delete_retention_rule(user_id=request.user.pk, rule_id=rule_id)
    messages.success(request, _("已删除保管期限规则"))
    return redirect("archives:retention")
