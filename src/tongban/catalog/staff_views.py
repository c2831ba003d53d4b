"""搜索词管理: the 同义词/口语词 table and the searches that found nothing, for catalog staff."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tongban.accounts.access import staff_only
from tongban.catalog import synonyms, zero_results
from tongban.catalog.choices import SynonymKind
from tongban.catalog.models import SearchSynonym
from tongban.core.audit import record_request
from tongban.core.errors import TongbanError


def _lines(value: str) -> tuple[str, ...]:
    return tuple(line for line in value.replace("，", "\n").replace(",", "\n").splitlines() if line.strip())


def _page(
    request: HttpRequest,
    *,
    form: dict,
    editing: SearchSynonym | None,
    error: str = "",
    field: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "catalog/staff_search_terms.html",
        {
            "synonyms": synonyms.synonyms_for_staff(),
            "zero_results": zero_results.top_zero_results(),
            "kinds": SynonymKind.choices,
            "form": form,
            "editing": editing,
            "error": error,
            "error_field": field,
        },
        status=status,
    )


def _require_editor(request: HttpRequest) -> None:
    if not synonyms.may_edit(request.user.pk):
        record_request(request, event="staff_page", object_type="url", object_id=request.path, denied=True)
        raise Http404


@require_http_methods(["GET", "POST"])
@staff_only
def search_terms(request: HttpRequest, synonym_id: int | None = None) -> HttpResponse:
    """List, add and edit synonyms; deactivate or reactivate one; the zero-result queries."""
    _require_editor(request)
    editing = SearchSynonym.objects.filter(pk=synonym_id).first() if synonym_id else None
    if synonym_id and editing is None:
        raise Http404
    if request.method == "POST" and request.POST.get("active") in ("0", "1"):
        try:
            synonyms.set_active(
                actor_id=request.user.pk,
                synonym_id=int(request.POST.get("synonym", "0") or 0),
                active=request.POST["active"] == "1",
            )
        except SearchSynonym.DoesNotExist as exc:
            raise Http404 from exc
        messages.success(request, _("已保存"))
        return redirect("catalog:staff_search_terms")
    if request.method == "POST":
        form = {
            "term": request.POST.get("term", ""),
            "kind": request.POST.get("kind", ""),
            "expansions": request.POST.get("expansions", ""),
            "items": request.POST.get("items", ""),
        }
        try:
            synonyms.save_synonym(
                actor_id=request.user.pk,
                synonym_id=editing.pk if editing else None,
                data=synonyms.SynonymInput(
                    term=form["term"],
                    kind=form["kind"],
                    expansions=_lines(form["expansions"]),
                    item_names=_lines(form["items"]),
                ),
            )
        except synonyms.SynonymError as exc:
            return _page(request, form=form, editing=editing, error=exc.message, field=exc.field, status=400)
        except TongbanError as exc:
            return _page(
                request, form=form, editing=editing, error=exc.message, field="term", status=exc.status
            )
        messages.success(request, _("已保存搜索词“%(term)s”") % {"term": synonyms.normalise(form["term"])})
        return redirect("catalog:staff_search_terms")
    if editing:
        form = {
            "term": editing.term,
            "kind": editing.kind,
            "expansions": "\n".join(editing.expansions),
            "items": "\n".join(
                i.published_version.name
                for i in editing.items.select_related("published_version")
                if i.published_version
            ),
        }
    else:
        # 为此添加同义词: a zero-result query fills in the term.
        form = {
            "term": request.GET.get("term", "")[:30],
            "kind": SynonymKind.COLLOQUIAL,
            "expansions": "",
            "items": "",
        }
    return _page(request, form=form, editing=editing)
