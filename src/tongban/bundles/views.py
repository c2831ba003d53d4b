"""Citizen pages of 一件事: guide, 情形 questions, combined form, shared materials, submit, tracking."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tongban.bundles import combine, selectors, services
from tongban.bundles.errors import BundleNotFound
from tongban.bundles.models import CaseStatus
from tongban.core.audit import record_request
from tongban.core.errors import TongbanError
from tongban.schemaforms import SchemaForm, prefill

applicant_only = login_required(login_url="accounts:login")
YES_NO = [("1", gettext_lazy("是")), ("0", gettext_lazy("否"))]


def _guide(code: str) -> selectors.Guide:
    try:
        return selectors.bundle_guide(code)
    except BundleNotFound as exc:
        raise Http404 from exc


@require_GET
def guide(request: HttpRequest, code: str) -> HttpResponse:
    """The bundle's guide, assembled from its items' guides."""
    return render(request, "bundles/guide.html", {"guide": _guide(code)})


class SituationForm(forms.Form):
    def __init__(self, questions: list, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[f"q{question.pk}"] = forms.ChoiceField(
                label=question.text,
                help_text=question.help_text,
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": _("请选择“%(q)s”") % {"q": question.text}},
            )


@require_http_methods(["GET", "POST"])
@applicant_only
def situation(request: HttpRequest, code: str) -> HttpResponse:
    """The 情形 questions deciding which items apply; answered, the case and its drafts are opened."""
    guide_data = _guide(code)
    form = SituationForm(guide_data.questions, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        answers = {q.pk: form.cleaned_data[f"q{q.pk}"] == "1" for q in guide_data.questions}
        try:
            case_id = services.start_bundle_case(
                applicant_id=request.user.pk,
                applicant_name=request.user.full_name or request.user.username,
                bundle_code=code,
                situation=answers,
            )
        except TongbanError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("bundles:form", case_id=case_id)
    return render(request, "bundles/situation.html", {"guide": guide_data, "form": form})


def _draft(request: HttpRequest, case_id: int):
    try:
        case = selectors.own_case(case_id, request.user.pk)
    except BundleNotFound as exc:
        record_request(
            request, event="bundle_case.viewed", object_type="bundle_case", object_id=case_id, denied=True
        )
        raise Http404 from exc
    return case


@require_http_methods(["GET", "POST"])
@applicant_only
def form_page(request: HttpRequest, case_id: int) -> HttpResponse:
    """One form for every applicable item: a field several items ask is asked once."""
    case = _draft(request, case_id)
    if case.status != CaseStatus.DRAFT:
        return redirect("bundles:track", case_id=case.pk)
    items = selectors.case_items(case)
    combined = combine.combine_forms(items)
    initial = selectors.combined_answers(case, combined.keys) or prefill(
        combined.schema,
        combined.ui_schema,
        {
            "account.full_name": request.user.full_name,
            "account.phone": getattr(request.user, "phone", "") or "",
        },
    )
    form = SchemaForm(
        combined.schema,
        combined.ui_schema,
        data=request.POST if request.method == "POST" else None,
        files=request.FILES,
        initial=initial,
        owner_id=request.user.pk,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_bundle_answers(
                case_id=case.pk, applicant_id=request.user.pk, answers=form.cleaned_data
            )
        except TongbanError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("bundles:materials", case_id=case.pk)
    return render(request, "bundles/form.html", {"case": case, "items": items, "form": form})


@require_http_methods(["GET", "POST"])
@applicant_only
def materials(request: HttpRequest, case_id: int) -> HttpResponse:
    """The materials of every applicable item, each name once: one upload serves every item."""
    case = _draft(request, case_id)
    if case.status != CaseStatus.DRAFT:
        return redirect("bundles:track", case_id=case.pk)
    shared = combine.shared_materials(selectors.case_items(case))
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        key = request.POST.get("material", "")
        upload = request.FILES.get("file")
        if upload is None:
            errors[key] = _("请选择要上传的文件")
            status = 400
        else:
            try:
                services.attach_bundle_material(
                    case_id=case.pk,
                    applicant_id=request.user.pk,
                    material_key=key,
                    name=upload.name,
                    data=upload,
                )
            except TongbanError as exc:
                errors[key] = exc.message
                status = exc.status
            else:
                messages.success(request, _("已上传"))
                return redirect("bundles:materials", case_id=case.pk)
    uploaded = selectors.uploaded_materials(case, shared)
    rows = [(m, uploaded.get(m.key, ""), errors.get(m.key, "")) for m in shared]
    return render(
        request, "bundles/materials.html", {"case": case, "rows": rows, "errors": errors}, status=status
    )


@require_http_methods(["POST"])
@applicant_only
def submit(request: HttpRequest, case_id: int) -> HttpResponse:
    """Submit every linked application at once (all or none); a repeated submit changes nothing."""
    case = _draft(request, case_id)
    try:
        services.submit_bundle_case(case_id=case.pk, applicant_id=request.user.pk)
    except TongbanError as exc:
        messages.error(request, exc.message)
        return redirect("bundles:materials", case_id=case.pk)
    return redirect("bundles:track", case_id=case.pk)


@require_GET
@applicant_only
def track(request: HttpRequest, case_id: int) -> HttpResponse:
    """The citizen's tracking page: the 一件事 and the state of each linked application."""
    case = _draft(request, case_id)
    return render(request, "bundles/track.html", {"case": case, "rows": selectors.tracked_applications(case)})


@require_GET
@applicant_only
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "bundles/mine.html", {"cases": selectors.cases_of(request.user.pk)[:50]})
