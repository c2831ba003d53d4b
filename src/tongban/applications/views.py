"""Application pages. Staff pre-review (预审) now; the applicant's pages follow with the portal accounts."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tongban.applications import selectors, services
from tongban.applications.forms import CorrectionForm
from tongban.applications.models import MaterialFile
from tongban.catalog.selectors import version_snapshot
from tongban.core.errors import TongbanError


def staff_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Staff pages: anonymous visitors go to the staff login; citizens get a 404 (T-B4)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(request.user, "kind", "") != "staff":
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _download(material: MaterialFile | None) -> FileResponse:
    """A material as an attachment, never rendered by the browser (T-C1, T-C2)."""
    if material is None:
        raise Http404
    response = FileResponse(material.file.open("rb"), as_attachment=True, filename=material.display_name)
    response["Content-Security-Policy"] = "sandbox"
    return response


@require_GET
@staff_only
def pre_review_inbox(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "applications/staff_inbox.html",
        {"applications": selectors.pre_review_inbox(request.user.pk)},
    )


@require_http_methods(["GET", "POST"])
@staff_only
def pre_review(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.get_application_for_clerk(request.user.pk, application_id)
    if application is None:
        raise Http404
    item = version_snapshot(application.item_version_id)
    material_names = {m.id: m.name for m in item.materials}
    form = CorrectionForm(
        request.POST or None,
        field_choices=[(key, key) for key in application.form_data],
        material_choices=list(material_names.items()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.request_correction(
                application_id=application.pk,
                staff_id=request.user.pk,
                reason=form.cleaned_data["reason"],
                fields=form.cleaned_data["field_names"],
                material_ids=form.cleaned_data["material_ids"],
            )
        except TongbanError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已退回补正：%(number)s") % {"number": application.number})
            return redirect("applications:staff_inbox")
    return render(
        request,
        "applications/staff_pre_review.html",
        {
            "application": application,
            "item": item,
            "form": form,
            "materials": [(m, material_names.get(m.requirement_id, "")) for m in application.materials.all()],
        },
    )


@require_GET
@staff_only
def staff_material(request: HttpRequest, application_id: int, material_id: int) -> FileResponse:
    return _download(selectors.material_file_for_clerk(request.user.pk, application_id, material_id))
