"""The portal's 政务公开: the 政府信息公开目录 with search and filters, an item with every metadata
field, its attachments, the 政府信息公开指南 per department, and RSS/Atom per department. Only
published items exist here (T-I1); an attachment of anything else is a 404 (T-I3)."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tongban.core.views import attachment_download
from tongban.disclosure import selectors
from tongban.disclosure.models import Category, DisclosureItem, Topic, Validity
from tongban.organizations.selectors import active_department_refs, departments_by_ids


def _int(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() and len(value) < 10 else None


def _department_choices() -> list[tuple[int, str]]:
    return [(d.id, d.name) for d in active_department_refs()]


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    """政府信息公开目录: search (Chinese words, as the service catalogue) and filters."""
    choices = {
        "category": dict(Category.choices),
        "topic": dict(Topic.choices),
        "validity": dict(Validity.choices),
    }
    filters = selectors.PublicFilters(
        query=request.GET.get("q", "")[:50],
        department_id=_int(request.GET.get("department")),
        category=request.GET.get("category", "")
        if request.GET.get("category") in choices["category"]
        else "",
        topic=request.GET.get("topic", "") if request.GET.get("topic") in choices["topic"] else "",
        validity=request.GET.get("validity", "")
        if request.GET.get("validity") in choices["validity"]
        else "",
        year=_int(request.GET.get("year")),
    )
    page = _int(request.GET.get("page")) or 1
    items, more = selectors.public_items(filters, page=page)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "disclosure/catalogue.html",
        {
            "items": items,
            "more": more,
            "page": page,
            "filters": filters,
            "query_string": query.urlencode(),
            "departments": _department_choices(),
            "categories": Category.choices,
            "topics": Topic.choices,
            "validities": Validity.choices,
            "years": list(range(timezone.localdate().year, 2019, -1)),
        },
    )


def _published(item_id: int) -> DisclosureItem:
    item = selectors.public_item(item_id)
    if item is None:
        raise Http404
    return item


@require_GET
def item(request: HttpRequest, item_id: int) -> HttpResponse:
    found = _published(item_id)
    return render(
        request,
        "disclosure/public_item.html",
        {"item": found, "attachments": selectors.attachments_of(found.pk)},
    )


@require_GET
def attachment(request: HttpRequest, item_id: int, attachment_id: int) -> HttpResponse:
    """A published item's attachment; a draft's (or anything else) is a 404 (T-I3)."""
    found = selectors.public_attachment(item_id, attachment_id)
    if found is None:
        raise Http404
    return attachment_download(found.name, found.mime_type, bytes(found.content))


@require_GET
def guide(request: HttpRequest, department_id: int) -> HttpResponse:
    found = selectors.guide_of(department_id)
    departments = departments_by_ids({department_id})
    if found is None or department_id not in departments:
        raise Http404
    return render(
        request, "disclosure/guide.html", {"guide": found, "department": departments[department_id]}
    )


@require_GET
def guides(request: HttpRequest) -> HttpResponse:
    have = selectors.departments_with_guides()
    return render(
        request,
        "disclosure/guides.html",
        {"departments": [(d, n) for d, n in _department_choices() if d in have]},
    )


class DisclosureRss(Feed):
    """The newest 20 published items, of one department (``/disclosure/departments/<id>/rss/``) or
    of all."""

    def get_object(self, request: HttpRequest, department_id: int | None = None) -> Any:
        if department_id is None:
            return None
        found = departments_by_ids({department_id})
        if department_id not in found:
            raise Http404
        return found[department_id]

    def title(self, obj: Any) -> str:
        return _("%(name)s 政府信息公开") % {"name": obj.name} if obj else _("政府信息主动公开")

    def link(self, obj: Any) -> str:
        return reverse("disclosure:catalogue") + (f"?department={obj.id}" if obj else "")

    def description(self, obj: Any) -> str:
        return _("新发布的主动公开政府信息")

    def items(self, obj: Any) -> list[DisclosureItem]:
        return selectors.feed_items(obj.id if obj else None)

    def item_title(self, item: DisclosureItem) -> str:
        return item.title

    def item_description(self, item: DisclosureItem) -> str:
        return f"{item.index_number} {item.issuer} {item.document_number}".strip()

    def item_link(self, item: DisclosureItem) -> str:
        return reverse("disclosure:item", args=[item.pk])

    def item_pubdate(self, item: DisclosureItem) -> Any:
        return item.published_at

    def item_guid(self, item: DisclosureItem) -> str:
        return item.index_number


class DisclosureAtom(DisclosureRss):
    feed_type = Atom1Feed

    def subtitle(self, obj: Any) -> str:
        return self.description(obj)
