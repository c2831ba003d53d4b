"""Application pages of the applicant's journey (form → materials → 核对信息 → receipt → 我的办件,
补正, progress). Every page works without JavaScript: POST → redirect → GET. Staff pages are in
staff_views."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from tongban.accounts.limits import Limit, hit
from tongban.accounts.selectors import user_id_with_resident_id
from tongban.applications import selectors, services
from tongban.applications.errors import ApplicationNotFound, ApplicationStateError, CorrectionIncomplete
from tongban.applications.forms import MaterialUploadForm, StatusQueryForm, WithdrawForm
from tongban.applications.models import Application, ApplicationStatus, CorrectionRequest, MaterialFile
from tongban.applications.receipt_pdf import ReceiptContent, render_receipt
from tongban.applications.subjects import subject_of
from tongban.catalog.selectors import version_names, version_snapshot
from tongban.catalog.types import ItemSnapshot, MaterialSnapshot
from tongban.core.errors import TongbanError
from tongban.core.views import client_ip
from tongban.organizations.selectors import department_ref
from tongban.schemaforms import SchemaForm, prefill
from tongban.workflow import selectors as workflow_selectors

applicant_only = login_required(login_url="accounts:login")


def download_material(material: MaterialFile | None) -> FileResponse:
    """A material as an attachment, never rendered by the browser (T-C1, T-C2)."""
    if material is None:
        raise Http404
    response = FileResponse(material.file.open("rb"), as_attachment=True, filename=material.display_name)
    response["Content-Security-Policy"] = "sandbox"
    return response


def _own(request: HttpRequest, application_id: int) -> tuple[Application, ItemSnapshot]:
    application = selectors.get_application_for_applicant(request.user.pk, application_id)
    if application is None:
        raise Http404
    return application, version_snapshot(application.item_version_id)


def _known_values(request: HttpRequest) -> dict[str, str]:
    """What the platform already knows about the applicant (UX.md: never ask twice)."""
    user = request.user
    known = {"account.full_name": user.full_name, "account.phone": user.phone}
    if user.kind == "enterprise":
        known |= {"enterprise.name": user.full_name, "enterprise.uscc": user.uscc}
    return {key: value for key, value in known.items() if value}


def _open_correction(application: Application) -> CorrectionRequest | None:
    """The open 补正; only an application waiting for one has it (no query for any other)."""
    if application.status != ApplicationStatus.CORRECTION_REQUESTED:
        return None
    return application.corrections.filter(resolved_at__isnull=True).first()


@require_http_methods(["POST"])
@applicant_only
def start(request: HttpRequest, code: str) -> HttpResponse:
    """开始办理 on a guide page: opens (or resumes) the applicant's draft."""
    try:
        application_id = services.start_application(
            applicant_id=request.user.pk,
            applicant_name=request.user.full_name or request.user.username,
            implementation_code=code,
        )
    except TongbanError as exc:
        messages.error(request, exc.message)
        return redirect("catalog:guide", code=code)
    return redirect("applications:form", application_id=application_id)


@require_http_methods(["GET", "POST"])
@applicant_only
def form_page(request: HttpRequest, application_id: int) -> HttpResponse:
    """The questions of the item's form; during 补正 only the listed ones may change (T-H4)."""
    application, item = _own(request, application_id)
    if application.status not in (ApplicationStatus.DRAFT, ApplicationStatus.CORRECTION_REQUESTED):
        return redirect("applications:detail", application_id=application.pk)
    correction = _open_correction(application)
    if correction is not None:
        return _correction_fields_page(request, application, item, correction)
    initial = selectors.own_answers(application) or prefill(
        item.form_schema,
        item.ui_schema,
        # 一表填报: registry values through the exchange, asked once per draft and logged with the
        # application as case reference.
        _known_values(request) | _registry_values(request, application),
    )
    form = SchemaForm(
        item.form_schema,
        item.ui_schema,
        data=request.POST if request.method == "POST" else None,
        files=request.FILES,
        initial=initial,
        owner_id=request.user.pk,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_answers(
                application_id=application.pk, applicant_id=request.user.pk, answers=form.cleaned_data
            )
        except TongbanError as exc:
            messages.error(request, exc.message)
        else:
            if "save_draft" in request.POST:
                messages.success(request, _("草稿已保存，您可以随时在“我的办件”中继续填写。"))
                return redirect("applications:mine")
            return redirect("applications:materials", application_id=application.pk)
    return render(request, "applications/form.html", {"application": application, "item": item, "form": form})


def _registry_values(request: HttpRequest, application: Application) -> dict[str, str]:
    """一表填报 values for a draft's form shown: asked through the exchange on the first showing,
    then kept with the draft (read here with it, no second look-up)."""
    if request.method != "GET" or application.status != ApplicationStatus.DRAFT:
        return {}
    if application.prefill is not None:
        return dict(application.prefill)
    return services.registry_prefill(
        application_id=application.pk, applicant_id=request.user.pk, account=request.user
    )


def _correction_fields_page(
    request: HttpRequest, application: Application, item: ItemSnapshot, correction: CorrectionRequest
) -> HttpResponse:
    """补正: the fields the request lists and no others (T-H4), as the applicant typed them; saving
    them counts them as looked at, even unchanged."""
    form = SchemaForm(
        item.form_schema,
        item.ui_schema,
        data=request.POST if request.method == "POST" else None,
        files=request.FILES,
        initial=selectors.own_answers(application),
        only=correction.fields,
        owner_id=request.user.pk,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_correction_answers(
                    application_id=application.pk, applicant_id=request.user.pk, answers=form.cleaned_data
                )
            except TongbanError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("已保存须修改的填报项。"))
                return redirect("applications:correction", application_id=application.pk)
        status = 200 if form.is_editing_rows else 400
    return render(
        request,
        "applications/correction_form.html",
        {"application": application, "item": item, "form": form, "correction": correction},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@applicant_only
def materials_page(request: HttpRequest, application_id: int) -> HttpResponse:
    """One upload field per material (UX.md pattern 4); each upload is its own POST. A kept upload
    reads nothing before the service (which finds the application itself) and redirects."""
    errors: dict[int, str] = {}
    if request.method == "POST":
        errors = _upload(request, application_id)
        if not errors:
            return redirect("applications:materials", application_id=application_id)
    application, item = _own(request, application_id)
    if _open_correction(application) is not None:
        return redirect("applications:correction", application_id=application.pk)
    if request.method == "GET" and services.may_hold_licenses(
        status=application.status, checked_at=application.held_licenses_checked_at, item=item
    ):
        # 免提交: materials held as the applicant's e-licenses are attached through the exchange.
        attached = services.attach_held_licenses(
            application_id=application.pk, applicant_id=request.user.pk, account=request.user
        )
        if attached:
            messages.info(
                request, _("已使用您的电子证照，免于提交：%(names)s") % {"names": "、".join(attached)}
            )
    uploaded = {m.requirement_id: m for m in application.materials.all()}
    rows = [(m, uploaded.get(m.id), errors.get(m.id)) for m in item.materials]
    return render(
        request,
        "applications/materials.html",
        {"application": application, "item": item, "rows": rows, "errors": errors},
        status=400 if errors else 200,
    )


def _upload(request: HttpRequest, application_id: int) -> dict[int, str]:
    """One material's file from a POST (UX.md pattern 4); the error by material id, none when kept.
    Another person's application is a 404 (T-B1)."""
    form = MaterialUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return {form.requirement_or_zero(): form.first_error()}
    upload = form.cleaned_data["file"]
    try:
        services.attach_material(
            application_id=application_id,
            applicant_id=request.user.pk,
            requirement_id=form.cleaned_data["requirement_id"],
            name=upload.name,
            data=upload,
        )
    except ApplicationNotFound:
        raise Http404 from None
    except TongbanError as exc:
        return {form.cleaned_data["requirement_id"]: exc.message}
    messages.success(request, _("已上传：%(name)s") % {"name": upload.name})
    return {}


@dataclass(frozen=True)
class CorrectionField:
    key: str
    label: str
    answer: str  # as shown: resident ID numbers masked
    is_done: bool


@dataclass(frozen=True)
class CorrectionMaterial:
    material: MaterialSnapshot
    uploaded: MaterialFile | None
    is_done: bool
    error: str


@require_http_methods(["GET", "POST"])
@applicant_only
def correction_page(request: HttpRequest, application_id: int) -> HttpResponse:
    """补正材料: exactly the fields and materials the request lists, each marked done or not, an upload
    per material, and 提交补正材料, which is refused until all are done."""
    application, item = _own(request, application_id)
    correction = _open_correction(application)
    if correction is None:
        return redirect("applications:detail", application_id=application.pk)
    errors: dict[int, str] = {}
    summary: list[tuple[str, str]] = []  # (anchor, message) for the error summary
    if request.method == "POST" and "requirement_id" in request.POST:
        errors = _upload(request, application.pk)
        if not errors:
            return redirect("applications:correction", application_id=application.pk)
        summary = [(f"file-{i}", message) for i, message in errors.items()]
    elif request.method == "POST":
        try:
            services.resubmit_correction(application_id=application.pk, applicant_id=request.user.pk)
        except CorrectionIncomplete:
            correction.refresh_from_db()
        except TongbanError as exc:
            messages.error(request, exc.message)
            return redirect("applications:detail", application_id=application.pk)
        else:
            messages.success(request, _("补正材料已提交，请等待审核。"))
            return redirect("applications:detail", application_id=application.pk)
    answers: dict[str, list[str]] = {}
    for group in selectors.labelled_answers(application):
        for row in group.rows:
            top, _dot, rest = row.path.partition(".")
            answers.setdefault(top, []).append(f"{row.label}：{row.text}" if rest else row.text)
    labels = dict(selectors.correction_field_choices(application))
    fields = [
        CorrectionField(
            key=key,
            label=labels.get(key, key),
            answer="；".join(answers.get(key, [])),
            is_done=key in correction.confirmed_fields,
        )
        for key in correction.fields
    ]
    uploaded = {m.requirement_id: m for m in application.materials.all()}
    requested = [m for m in item.materials if m.id in correction.material_ids]
    materials = [
        CorrectionMaterial(
            material=m,
            uploaded=uploaded.get(m.id),
            is_done=m.id in correction.replaced_material_ids,
            error=errors.get(m.id, ""),
        )
        for m in requested
    ]
    if request.method == "POST" and not errors:
        # 提交补正材料 refused: name each item still to do, linked to where it is done.
        summary = [
            ("field-" + f.key, _("请修改或确认“%(label)s”") % {"label": f.label})
            for f in fields
            if not f.is_done
        ] + [
            (f"file-{m.material.id}", _("请上传新的“%(name)s”") % {"name": m.material.name})
            for m in materials
            if not m.is_done
        ]
    done = sum(f.is_done for f in fields) + sum(m.is_done for m in materials)
    return render(
        request,
        "applications/correction.html",
        {
            "application": application,
            "item": item,
            "correction": correction,
            "fields": fields,
            "materials": materials,
            "done": done,
            "total": len(fields) + len(materials),
            "error_summary": summary,
        },
        status=400 if summary else 200,
    )


@require_http_methods(["GET", "POST"])
@applicant_only
def check_page(request: HttpRequest, application_id: int) -> HttpResponse:
    """核对信息, then 提交申请: one transaction, idempotent (a double click gives one application).
    提交申请 reads nothing before the service, which finds the application itself."""
    if request.method == "POST":
        try:
            services.submit_application(application_id=application_id, applicant_id=request.user.pk)
        except ApplicationNotFound:
            raise Http404 from None
        except TongbanError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("applications:receipt", application_id=application_id)
    application, item = _own(request, application_id)
    answers = SchemaForm(item.form_schema, item.ui_schema, initial=application.form_data)
    uploaded = {m.requirement_id: m for m in application.materials.all()}
    return render(
        request,
        "applications/check.html",
        {
            "application": application,
            "item": item,
            "answers": answers,
            "form_url": reverse("applications:form", args=[application.pk]),
            "materials": [(m, uploaded.get(m.id)) for m in item.materials],
        },
    )


@require_GET
@applicant_only
def receipt(request: HttpRequest, application_id: int) -> HttpResponse:
    application, item = _own(request, application_id)
    if not application.number:
        return redirect("applications:check", application_id=application.pk)
    return render(request, "applications/receipt.html", {"application": application, "item": item})


# Where 显示更多 (core/_more_link.html, core/_more_rows.html) appends the next rows of 我的办件.
MINE_ROWS = {"rows_template": "applications/_mine_rows.html", "rows_id": "mine-rows", "more_id": "mine-more"}


@require_GET
@applicant_only
def mine(request: HttpRequest) -> HttpResponse:
    """我的办件: each application with the name of its item, newest first, a page at a time: "more"
    (``after``) adds the next rows (htmx asks for the rows only), or opens them as a page without
    JavaScript. A fixed number of queries whatever the page's length."""
    after = request.GET.get("after", "")
    page = selectors.applications_page_of(request.user.pk, after=after)
    names = version_names({a.item_version_id for a in page.applications})
    context = {
        "applications": page.applications,
        "rows": [(a, names.get(a.item_version_id, "")) for a in page.applications],
        "more_url": f"?{urlencode({'after': page.next_cursor})}" if page.next_cursor else "",
        "continued": bool(after),
        **MINE_ROWS,
    }
    if request.htmx and after:
        return render(request, "core/_more_rows.html", context)
    return render(request, "applications/mine.html", context)


@require_GET
@applicant_only
def detail(request: HttpRequest, application_id: int) -> HttpResponse:
    """查看进度: status history and, during 补正, the reason and the way to the 补正材料 page."""
    application, item = _own(request, application_id)
    return _detail_page(request, application, item, withdraw_form=WithdrawForm())


def _detail_page(
    request: HttpRequest,
    application: Application,
    item: ItemSnapshot,
    *,
    withdraw_form: WithdrawForm,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            "item": item,
            "correction": _open_correction(application),
            "events": application.events.all(),
            "steps": progress_steps(application.pk),
            "may_withdraw": application.status in services.WITHDRAWABLE,
            "withdraw_form": withdraw_form,
        },
        status=status,
    )


@require_GET
@applicant_only
def receipt_pdf(request: HttpRequest, application_id: int) -> HttpResponse:
    """The 受理回执 as a PDF, for the applicant once the application has its 办件编号."""
    application, item = _own(request, application_id)
    if not application.number:
        raise Http404
    received: dict[int, list[str]] = {}
    for material in application.materials.all():
        received.setdefault(material.requirement_id, []).append(material.display_name)
    status_url = request.build_absolute_uri(reverse("applications:status_query"))
    content = ReceiptContent(
        number=application.number,
        item_name=item.name,
        department_name=department_ref(application.department_id).name,
        applicant_name=application.applicant_name,
        submitted_at=application.submitted_at,
        promised_finish_date=application.promised_finish_date,
        materials=tuple((m.name, tuple(received.get(m.id, ()))) for m in item.materials),
        status_url=f"{status_url}?{urlencode({'number': application.number})}",
    )
    response = HttpResponse(render_receipt(content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{application.number}.pdf"'
    return response


@require_http_methods(["POST"])
@applicant_only
def withdraw(request: HttpRequest, application_id: int) -> HttpResponse:
    """撤回申请 before 受理, with a reason; an error is shown on the progress page (400 for the form, 409
    once accepted or already withdrawn), never a 500."""
    application, item = _own(request, application_id)
    form = WithdrawForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.withdraw_application(
                application_id=application.pk,
                applicant_id=request.user.pk,
                reason=form.cleaned_data["reason"],
            )
        except ApplicationStateError as error:
            form.add_error(None, error.message)
            status = 409
        except TongbanError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("办件已撤回。"))
            return redirect("applications:detail", application_id=application.pk)
    return _detail_page(request, application, item, withdraw_form=form, status=status)


def progress_steps(application_id: int) -> list[dict[str, str]]:
    """The applicant's simplified view of the process: each step's name and whether it is done."""
    diagram = workflow_selectors.diagram_state(subject_of(application_id))
    return diagram.steps if diagram else []


@require_GET
@applicant_only
def process(request: HttpRequest, application_id: int) -> HttpResponse:
    """The applicant's process diagram data (the same markers staff see, no names or opinions)."""
    application, _item = _own(request, application_id)
    return process_json(application.pk)


def process_json(application_id: int) -> JsonResponse:
    """The BPMN and its done and current elements, for bpmn-js to draw and highlight."""
    diagram = workflow_selectors.diagram_state(subject_of(application_id))
    if diagram is None:
        raise Http404
    return JsonResponse({"xml": diagram.bpmn_xml, "done": diagram.done, "current": diagram.current})


@require_GET
@applicant_only
def own_material(request: HttpRequest, application_id: int, material_id: int) -> FileResponse:
    return download_material(
        selectors.material_file_for_applicant(request.user.pk, application_id, material_id)
    )


STATUS_QUERIES_PER_ADDRESS = Limit("status-query-address", 20, 10 * 60)


@sensitive_post_parameters("resident_id")
@require_http_methods(["GET", "POST"])
def status_query(request: HttpRequest) -> HttpResponse:
    """办件查询 by number + ID number, no login. Rate-limited per address; a wrong number and a wrong ID
    give the same answer, so nothing can be learnt by guessing (T-A2)."""
    # The 受理回执's QR code opens this page with the number filled in (never the ID number).
    initial = {"number": request.GET.get("number", "")[:32]}
    form = StatusQueryForm(request.POST if request.method == "POST" else None, initial=initial)
    application = None
    status = 200
    if request.method == "POST":
        if not hit(STATUS_QUERIES_PER_ADDRESS, client_ip(request)):
            form.add_error(None, _("查询过于频繁，请10分钟后再试。"))
            status = 429
        elif form.is_valid():
            application = selectors.application_by_number_for_applicant(
                form.cleaned_data["number"], user_id_with_resident_id(form.cleaned_data["resident_id"])
            )
            if application is None:
                form.add_error(None, _("没有找到符合条件的办件，请核对办件编号和身份证号码。"))
                status = 404
        else:
            status = 400
    item = version_snapshot(application.item_version_id) if application else None
    return render(
        request,
        "applications/status_query.html",
        {"form": form, "application": application, "item": item},
        status=status,
    )
