"""Process definitions for staff: the list of versions, upload of a new version, and its diagram."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tongban.accounts.access import staff_only
from tongban.accounts.selectors import names_of
from tongban.core.errors import TongbanError
from tongban.organizations.selectors import (
    department_ids_for,
    departments_by_ids,
    roles_of,
    staff_ids_in_department,
    staff_ids_with_role,
)
from tongban.workflow import migration, selectors, services
from tongban.workflow import phrases as phrase_services
from tongban.workflow.forms import DefinitionUploadForm
from tongban.workflow.models import InstanceStatus, ProcessDefinition, ProcessFamily
from tongban.workflow.validation import MAX_BYTES


@require_http_methods(["GET", "POST"])
@staff_only
def definitions(request: HttpRequest) -> HttpResponse:
    """流程定义: every version; department administrators upload new ones (checked before kept)."""
    if not selectors.may_design_processes(request.user.pk):
        raise Http404
    posted = request.method == "POST"
    form = DefinitionUploadForm(request.POST if posted else None, request.FILES if posted else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > MAX_BYTES:
                    raise TongbanError(_("流程定义文件不能超过2MB"))
                _refuse_key_of_another_region(request, form.cleaned_data["key"])
                definition_id = services.upload_definition(
                    key=form.cleaned_data["key"],
                    data=upload.read(),
                    uploaded_by_id=request.user.pk,
                    view_only_if_not_runnable=form.cleaned_data["view_only"],
                    family=form.cleaned_data["family"] or ProcessFamily.APPLICATION,
                    region_id=selectors.new_definition_region(request.user.pk),
                )
            except TongbanError as exc:
                for reason in exc.details or [exc.message]:
                    form.add_error("file", reason)
            else:
                found = selectors.definition_by_id(definition_id)
                if found is not None and not found.is_runnable:
                    messages.warning(request, _("流程定义已保存为仅供查看（不可运行）的版本"))
                else:
                    messages.success(request, _("流程定义已保存"))
                return redirect("workflow:definition", definition_id=definition_id)
        status = 400
    return render(
        request,
        "workflow/definitions.html",
        {
            "definitions": selectors.designable_definitions(request.user.pk).select_related("region"),
            "changeable_keys": selectors.changeable_keys(request.user.pk),
            "form": form,
        },
        status=status,
    )


def _refuse_key_of_another_region(request: HttpRequest, key: str) -> None:
    """A new version of a key is published only by the administrators of the key's region (issue 20)."""
    latest = selectors.definitions().filter(key=key).first()
    if latest is not None and not selectors.may_change_definition(request.user.pk, latest):
        raise TongbanError(_("流程标识“%(key)s”属于其他区划的流程，请换用新的流程标识") % {"key": key})


def _definition_for(request: HttpRequest, definition_id: int, *, changing: bool = False) -> ProcessDefinition:
    """A version the process administrator sees (404 for anyone else, and for another county's); with
    ``changing``, one whose key they may publish a next version of."""
    found = (
        selectors.designable_definitions(request.user.pk).filter(pk=definition_id).first()
        if selectors.may_design_processes(request.user.pk)
        else None
    )
    if found is None or (changing and not selectors.may_change_definition(request.user.pk, found)):
        raise Http404
    return found


@require_GET
@staff_only
def definition(request: HttpRequest, definition_id: int) -> HttpResponse:
    """One version: its diagram (the BPMN text is in the page for bpmn-js), its steps, and for a
    view-only version why it cannot run."""
    found = _definition_for(request, definition_id)
    steps = [{"name": s["name"], "state": "pending"} for s in found.steps]
    diagram = {"xml": found.bpmn_xml, "done": [], "current": []}
    return render(
        request,
        "workflow/definition.html",
        {
            "definition": found,
            "steps": steps,
            "diagram": diagram,
            "may_change": selectors.may_change_definition(request.user.pk, found),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_only
def phrases(request: HttpRequest) -> HttpResponse:
    """我的常用语: add or delete one's own opinion phrases."""
    status = 200
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("delete", "").isdigit():
                phrase_services.delete_phrase(user_id=request.user.pk, phrase_id=int(request.POST["delete"]))
            else:
                phrase_services.add_phrase(user_id=request.user.pk, text=request.POST.get("text", ""))
        except TongbanError as exc:
            error, status = exc.message, exc.status
        else:
            return redirect("workflow:phrases")
    return _phrases_page(request, error=error, status=status)


def _phrases_page(
    request: HttpRequest, *, error: str = "", signature_error: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "workflow/phrases.html",
        {
            "phrases": phrase_services.own_phrases(request.user.pk),
            "defaults": phrase_services.DEFAULT_PHRASES,
            "has_signature": bool(phrase_services.signatures_of({request.user.pk})),
            "error": error,
            "signature_error": signature_error,
        },
        status=status,
    )


@require_http_methods(["POST"])
@staff_only
def signature(request: HttpRequest) -> HttpResponse:
    """Upload (or delete) one's handwritten signature image."""
    if request.POST.get("delete"):
        phrase_services.delete_signature(user_id=request.user.pk)
        return redirect("workflow:phrases")
    upload = request.FILES.get("image")
    if upload is None:
        return _phrases_page(request, signature_error=_("请选择签名图片"), status=400)
    try:
        phrase_services.save_signature(user_id=request.user.pk, name=upload.name or "", data=upload.read())
    except TongbanError as exc:
        return _phrases_page(request, signature_error=exc.message, status=exc.status)
    messages.success(request, _("签名已保存"))
    return redirect("workflow:phrases")


@require_GET
@staff_only
def signature_image(request: HttpRequest) -> HttpResponse:
    """One's own signature, for the preview on the settings page (nobody else's)."""
    image = phrase_services.signatures_of({request.user.pk}).get(request.user.pk)
    if image is None:
        raise Http404
    content_type = "image/png" if image.startswith(b"\x89PNG") else "image/jpeg"
    return HttpResponse(image, content_type=content_type)


@require_http_methods(["GET", "POST"])
@staff_only
def out_of_office(request: HttpRequest) -> HttpResponse:
    """代理: name a colleague who handles my tasks while I am away; the period ends by itself."""
    error, status = "", 200
    if request.method == "POST":
        try:
            if request.POST.get("cancel"):
                services.cancel_out_of_office(user_id=request.user.pk)
            else:
                services.set_out_of_office(
                    user_id=request.user.pk,
                    agent_id=_int(request.POST.get("agent", "")),
                    starts_on=_date(request.POST.get("starts_on", "")),
                    ends_on=_date(request.POST.get("ends_on", "")),
                )
        except TongbanError as exc:
            error, status = exc.message, exc.status
        else:
            messages.success(request, _("代理设置已保存"))
            return redirect("workflow:out_of_office")
    colleagues = set().union(
        *(
            staff_ids_in_department(department_id)
            for department_id, _role in roles_of(user_id=request.user.pk)
        )
    ) - {request.user.pk}
    return render(
        request,
        "workflow/out_of_office.html",
        {
            "current": selectors.out_of_office_of(request.user.pk),
            "colleagues": sorted(names_of(colleagues).items(), key=lambda pair: pair[1]),
            "error": error,
        },
        status=status,
    )


def _int(value: str) -> int:
    return int(value) if value.isdigit() else 0


def _handler(value: str) -> int | None:
    """The ``handler`` filter: None when absent; an id that is not one (any id beyond the database's
    range included) matches nobody, rather than everybody."""
    if not value:
        return None
    number = _int(value)
    return number if number < 2**63 else 0


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise TongbanError(_("请输入有效日期，例如 2026-12-01")) from exc


def _is_monitor(user_id: int) -> bool:
    return any(role == services.MONITOR_ROLE for _department, role in roles_of(user_id=user_id))


@require_GET
@staff_only
def monitor(request: HttpRequest) -> HttpResponse:
    """流程监控: the departments' instances by definition and state, with age and open tasks."""
    if not _is_monitor(request.user.pk):
        raise Http404
    administered = department_ids_for(user_id=request.user.pk, role="department_admin")
    departments = departments_by_ids(administered)
    rows = selectors.monitored_instances(
        request.user.pk,
        definition_key=request.GET.get("definition", ""),
        status=request.GET.get("status", ""),
        department_id=_int(request.GET.get("department", "")) or None,
        min_age_days=_int(request.GET.get("min_age", "")) or None,
        handler_id=_handler(request.GET.get("handler", "")),
    )
    # Whom 重置处理人 may give a task: its role's holders there, or (a step of another assignee rule,
    # such as one whose rule found nobody) anyone holding a role in its department.
    # Once per (department, role, rule), not once per task: a page of instances shares a few.
    keys = {(t.department_id, t.role, t.assignee_rule == "role") for row in rows for t in row.open_tasks}
    holders = {
        (department_id, role, by_role): sorted(
            names_of(
                set(staff_ids_with_role(department_id=department_id, role=role))
                if by_role
                else staff_ids_in_department(department_id)
            ).items(),
            key=lambda pair: pair[1],
        )
        for department_id, role, by_role in keys
    }
    return render(
        request,
        "workflow/monitor.html",
        {
            # Instance actions for the lead department's administrator; 重置处理人 also for the
            # administrator of the step's own department (a joint-approval lane).
            "rows": [
                (
                    row,
                    row.department_id in administered,
                    [
                        (
                            t,
                            holders[(t.department_id, t.role, t.assignee_rule == "role")],
                            row.department_id in administered or t.department_id in administered,
                        )
                        for t in row.open_tasks
                    ],
                )
                for row in rows
            ],
            "definitions": sorted({d.key for d in selectors.definitions()}),
            "statuses": InstanceStatus.choices,
            "departments": sorted(departments.items(), key=lambda pair: pair[1].short_name),
            "filters": request.GET,
        },
    )


@require_http_methods(["POST"])
@staff_only
def monitor_action(request: HttpRequest, instance_id: int) -> HttpResponse:
    """挂起, 恢复, 终止 an instance, or 重置处理人 of one of its tasks; each with a reason."""
    if not _is_monitor(request.user.pk):
        raise Http404
    action, reason = request.POST.get("action", ""), request.POST.get("reason", "")
    try:
        if action == "suspend":
            services.suspend_instance(instance_id=instance_id, admin_id=request.user.pk, reason=reason)
        elif action == "resume":
            services.resume_instance(instance_id=instance_id, admin_id=request.user.pk)
        elif action == "terminate":
            services.terminate_instance(instance_id=instance_id, admin_id=request.user.pk, reason=reason)
        elif action == "reassign":
            to_user = request.POST.get("to_user", "")
            services.reassign_task(
                task_id=uuid.UUID(request.POST.get("task", "")),
                admin_id=request.user.pk,
                to_user_id=_int(to_user) or None,
                reason=reason,
            )
        else:
            raise TongbanError(_("请选择操作"))
    except ValueError as exc:
        raise Http404 from exc
    except TongbanError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("操作已完成"))
    return redirect("workflow:monitor")


@require_http_methods(["GET", "POST"])
@staff_only
def monitor_migration(request: HttpRequest) -> HttpResponse:
    """版本迁移: preview which instances of a definition can move to a version (and why others
    cannot), then move the movable ones."""
    if not _is_monitor(request.user.pk):
        raise Http404
    params = request.POST if request.method == "POST" else request.GET
    key = params.get("definition", "")
    versions: dict[str, int] = {}  # key -> latest version
    for definition_key, number in selectors.definitions().values_list("key", "version"):
        versions.setdefault(definition_key, number)
    version = _int(params.get("version", "")) or versions.get(key, 0)
    rows: list[migration.InstanceMigration] = []
    error, status = "", 200
    if key:
        try:
            if request.method == "POST":
                moved = migration.migrate_instances(
                    definition_key=key, to_version=version, admin_id=request.user.pk
                )
                messages.success(
                    request,
                    _("已迁移 %(moved)s 个实例，%(refused)s 个不可迁移，仍在原版本")
                    % {
                        "moved": sum(r.outcome == migration.MOVED for r in moved),
                        "refused": sum(r.outcome == migration.REFUSED for r in moved),
                    },
                )
                return redirect(
                    f"{reverse('workflow:monitor_migration')}?{urlencode({'definition': key, 'version': version})}"
                )
            rows = migration.plan_migration(definition_key=key, to_version=version, admin_id=request.user.pk)
        except TongbanError as exc:
            if exc.status == 404:
                raise Http404 from exc
            error, status = exc.message, exc.status
    return render(
        request,
        "workflow/monitor_migration.html",
        {
            "definitions": sorted(versions),
            "key": key,
            "version": version or "",
            "rows": rows,
            "movable": sum(r.outcome == migration.MOVABLE for r in rows),
            "error": error,
        },
        status=status,
    )
