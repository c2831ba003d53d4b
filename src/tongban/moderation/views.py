"""敏感词库 (/staff/sensitive-words/): city administrators list, search, add and remove the words that
text from the public is checked against. Anyone else gets a 404, audited."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tongban.accounts.access import staff_only
from tongban.core.audit import record_request
from tongban.moderation import selectors, services
from tongban.moderation.errors import SensitiveWordError
from tongban.moderation.forms import WordForm
from tongban.moderation.models import WordCategory
from tongban.organizations.selectors import is_city_admin


def _admin(request: HttpRequest) -> int:
    user_id = cast(int, request.user.pk)
    if not is_city_admin(user_id):
        record_request(
            request, event="moderation.words", object_type="url", object_id=request.path, denied=True
        )
        raise Http404
    return user_id


def _page(request: HttpRequest, form: WordForm, status: int = 200) -> HttpResponse:
    query = request.GET.get("q", "")[:50]
    category = request.GET.get("category", "")
    category = category if category in WordCategory.values else ""
    return render(
        request,
        "moderation/words.html",
        {
            "form": form,
            "words": selectors.word_list(query, category),
            "query": query,
            "category": category,
            "categories": WordCategory.choices,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@staff_only
def words(request: HttpRequest) -> HttpResponse:
    user_id = _admin(request)
    if request.method == "GET":
        return _page(request, WordForm())
    form = WordForm(request.POST)
    form.is_valid()
    try:
        services.add_word(
            actor_id=user_id,
            word=form.cleaned_data.get("word") or "",
            category=form.cleaned_data.get("category") or "",
            action=form.cleaned_data.get("action") or "",
        )
    except SensitiveWordError as error:
        form.add_service_error(error)
        return _page(request, form, status=error.status)
    messages.success(request, _("敏感词“%(word)s”已添加。") % {"word": form.cleaned_data["word"].strip()})
    return redirect("moderation:words")


@require_POST
@staff_only
def remove(request: HttpRequest, word_id: int) -> HttpResponse:
    user_id = _admin(request)
    services.remove_word(actor_id=user_id, word_id=word_id)
    messages.success(request, _("敏感词已删除。"))
    return redirect("moderation:words")
