"""Public portal pages of the service catalog. Anyone may read; the only write is the count of a
search that found nothing (catalog.zero_results: the text alone, never who searched)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from tongban.catalog import selectors, zero_results
from tongban.catalog.choices import Audience
from tongban.catalog.featured import featured_for
from tongban.catalog.guide_process import guide_steps
from tongban.organizations.selectors import active_departments_by_region, departments_by_ids, regions_tree

PAGE_SIZE = 20


def _page(request: HttpRequest, items: list | object) -> object:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _render_list(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    # htmx asks for the result rows only; without htmx the whole page renders (UX.md).
    if request.htmx and request.htmx.target == "results":
        return render(request, "catalog/_item_rows.html", context)
    return render(request, template, context)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalog/home.html",
        {
            "natural_themes": selectors.themes_with_counts("natural"),
            "legal_themes": selectors.themes_with_counts("legal"),
            "metrics": selectors.catalog_metrics(),
        },
    )


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    results = selectors.search_published(query) if query else None
    if results is not None and not len(results.hits) and not request.GET.get("page"):
        zero_results.log_zero_result(query)
    page = _page(request, results.hits if results else [])
    # 一件事 and other registered results first, on the first page only (catalog.featured).
    featured = featured_for(query) if query and not request.GET.get("page") else []
    return _render_list(
        request,
        "catalog/search.html",
        {"search_query": query, "results": results, "page": page, "featured": featured},
    )


@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """The search box's suggestions: JSON, or the list's HTML for htmx (the search page's box)."""
    query = request.GET.get("q", "").strip()[:30]
    found = selectors.suggestions(query) if query else []
    if request.htmx:
        return render(request, "catalog/_suggestions.html", {"suggestions": found})
    return JsonResponse(
        {
            "query": query,
            "suggestions": [
                {
                    "text": s.text,
                    "url": reverse("catalog:guide", args=[s.implementation_code])
                    if s.implementation_code
                    else f"{reverse('catalog:search')}?{urlencode({'q': s.text})}",
                }
                for s in found
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def themes(request: HttpRequest) -> HttpResponse:
    audience = request.GET.get("audience")
    if audience not in Audience.values:
        audience = None
    return render(
        request,
        "catalog/themes.html",
        {
            "audience": audience,
            "audience_label": Audience(audience).label if audience else None,
            "natural_themes": selectors.themes_with_counts("natural") if audience != "legal" else [],
            "legal_themes": selectors.themes_with_counts("legal") if audience != "natural" else [],
        },
    )


@require_GET
def theme_items(request: HttpRequest, theme_id: int) -> HttpResponse:
    theme = selectors.themes_with_counts().filter(pk=theme_id).first()
    if theme is None:
        raise Http404
    page = _page(request, selectors.published_versions_in(theme_id=theme.pk))
    return _render_list(
        request, "catalog/item_list.html", {"heading": theme.name, "page": page, "theme": theme}
    )


@require_GET
def departments(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalog/departments.html",
        {"groups": active_departments_by_region(), "counts": selectors.department_item_counts()},
    )


@require_GET
def department_items(request: HttpRequest, department_id: int) -> HttpResponse:
    department = departments_by_ids([department_id]).get(department_id)
    if department is None:
        raise Http404
    page = _page(request, selectors.published_versions_in(department_id=department.id))
    return _render_list(
        request,
        "catalog/item_list.html",
        {"heading": department.name, "page": page, "department": department},
    )


@require_GET
def regions(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/regions.html", {"regions": regions_tree()})


@require_GET
def region_items(request: HttpRequest, region_code: str) -> HttpResponse:
    region = next((r for r, _depth in regions_tree() if r.code == region_code), None)
    if region is None:
        raise Http404
    page = _page(request, selectors.published_versions_in(region_id=region.id))
    return _render_list(
        request, "catalog/item_list.html", {"heading": region.name, "page": page, "region": region}
    )


@require_GET
def guide(request: HttpRequest, code: str) -> HttpResponse:
    version = selectors.guide_version(code)
    if version is None:
        raise Http404
    return render(
        request,
        "catalog/guide.html",
        {"version": version, "item": version.item, "process_steps": guide_steps(version)},
    )


@require_GET
def guide_print(request: HttpRequest, code: str) -> HttpResponse:
    version = selectors.guide_version(code)
    if version is None:
        raise Http404
    return render(
        request,
        "catalog/guide_print.html",
        {"version": version, "item": version.item, "process_steps": guide_steps(version)},
    )


@require_GET
def blank_form(request: HttpRequest, code: str, material_id: int) -> FileResponse:
    """Download a material's blank form as an attachment (never rendered inline)."""
    material = selectors.published_material(code, material_id)
    if material is None or not material.blank_form:
        raise Http404
    extension = material.blank_form.name.rsplit(".", 1)[-1].lower()
    return FileResponse(
        material.blank_form.open("rb"),
        as_attachment=True,
        filename=f"{material.name}（空白表格）.{extension}",
    )


@require_GET
def result_sample(request: HttpRequest, code: str) -> FileResponse:
    version = selectors.guide_version(code)
    if version is None or not version.result_sample:
        raise Http404
    extension = version.result_sample.name.rsplit(".", 1)[-1].lower()
    return FileResponse(
        version.result_sample.open("rb"),
        as_attachment=True,
        filename=f"{version.result_name}（样本）.{extension}",
    )


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalog/sitemap.html",
        {"themes": selectors.themes_with_counts(), "groups": active_departments_by_region()},
    )


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/accessibility.html")
