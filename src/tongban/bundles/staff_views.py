"""Workbench pages of 一件事: catalog editors build, order and publish bundles; staff see a bundle
case's linked cases (each case page links to its own department's view)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tongban.accounts.access import staff_only
from tongban.applications.case_groups import case_groups
from tongban.applications.selectors import get_application_for_staff
from tongban.bundles import selectors, services
from tongban.catalog.selectors import published_item_refs
from tongban.catalog.synonyms import may_edit
from tongban.core.audit import record_request
from tongban.core.errors import TongbanError


def _require_editor(request: HttpRequest) -> None:
    if not may_edit(request.user.pk):
        record_request(request, event="staff_page", object_type="url", object_id=request.path, denied=True)
        raise Http404


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


@require_http_methods(["GET", "POST"])
@staff_only
def bundle_list(request: HttpRequest) -> HttpResponse:
    """Every bundle, and a form to create one."""
    _require_editor(request)
    form = {"name": "", "code": "", "summary": "", "life_events": ""}
    error = ""
    if request.method == "POST":
        form = {k: request.POST.get(k, "").strip() for k in form}
        try:
            bundle_id = services.save_bundle(actor_id=request.user.pk, **form)
        except TongbanError as exc:
            error = exc.message
        else:
            return redirect("bundles:staff_edit", bundle_id=bundle_id)
    return render(
        request,
        "bundles/staff_list.html",
        {"bundles": selectors.bundles_for_staff(), "form": form, "error": error},
        status=400 if error else 200,
    )


ACTIONS = {
    "save": lambda r, b: services.save_bundle(
        actor_id=r.user.pk,
        bundle_id=b,
        name=r.POST.get("name", ""),
        code=r.POST.get("code", ""),
        summary=r.POST.get("summary", ""),
        life_events=r.POST.get("life_events", ""),
    ),
    "add_item": lambda r, b: services.add_bundle_item(
        actor_id=r.user.pk,
        bundle_id=b,
        item_id=_int(r.POST.get("item")),
        position=_int(r.POST.get("position")),
    ),
    "remove_item": lambda r, b: services.remove_bundle_item(
        actor_id=r.user.pk, bundle_id=b, bundle_item_id=_int(r.POST.get("entry"))
    ),
    "add_question": lambda r, b: services.add_bundle_question(
        actor_id=r.user.pk,
        bundle_id=b,
        text=r.POST.get("text", ""),
        help_text=r.POST.get("help_text", ""),
        switches=[_int(v) for v in r.POST.getlist("switches")],
        position=_int(r.POST.get("position")),
    ),
    "remove_question": lambda r, b: services.remove_bundle_question(
        actor_id=r.user.pk, bundle_id=b, question_id=_int(r.POST.get("question"))
    ),
    "publish": lambda r, b: services.publish_bundle(actor_id=r.user.pk, bundle_id=b),
    "unpublish": lambda r, b: services.unpublish_bundle(actor_id=r.user.pk, bundle_id=b),
}


@require_http_methods(["GET", "POST"])
@staff_only
def bundle_edit(request: HttpRequest, bundle_id: int) -> HttpResponse:
    """One bundle: its name and phrases, items in order, 情形 questions and what they switch, publish."""
    _require_editor(request)
    bundle = selectors.bundle_for_staff(bundle_id)
    if bundle is None:
        raise Http404
    error, action = "", request.POST.get("action", "")
    if request.method == "POST":
        if action not in ACTIONS:
            error = _("未知的操作")
        else:
            try:
                ACTIONS[action](request, bundle.pk)
            except TongbanError as exc:
                error = exc.message
            else:
                messages.success(request, _("已保存"))
                return redirect("bundles:staff_edit", bundle_id=bundle.pk)
    entries = list(bundle.items.all())
    names = {r.item_id: r.name for r in published_item_refs()}
    return render(
        request,
        "bundles/staff_edit.html",
        {
            "bundle": bundle,
            "entries": [(e, names.get(e.item_id, _("（未发布的事项）"))) for e in entries],
            "questions": bundle.questions.all(),
            "published_items": sorted(names.items(), key=lambda pair: pair[1]),
            "bundle_form": {
                "name": bundle.name,
                "code": bundle.code,
                "summary": bundle.summary,
                "life_events": "，".join(bundle.life_events),
            },
            "error": error,
            "action": action,
        },
        status=400 if error else 200,
    )


@require_GET
@staff_only
def staff_case(request: HttpRequest, number: str) -> HttpResponse:
    """A bundle case's linked cases: numbers, items and states; each links to its own case page,
    which its department's staff may open (others get that page's 404)."""
    case = selectors.case_by_number(number)
    if case is None:
        raise Http404
    ids = set(case.links.values_list("application_id", flat=True))
    # T-B3: only staff who may read one of the linked cases see the bundle.
    if not any(get_application_for_staff(request.user.pk, i, with_related=False) for i in ids):
        record_request(
            request, event="bundle_case.viewed", object_type="bundle_case", object_id=case.pk, denied=True
        )
        raise Http404
    group = next(iter(case_groups(ids).values()), None)
    record_request(request, event="bundle_case.viewed", object_type="bundle_case", object_id=case.pk)
    return render(request, "bundles/staff_case.html", {"case": case, "group": group})
