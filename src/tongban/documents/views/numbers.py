"""文号登记: a body's numbers of a year (已使用, 已作废, 预留, 补号) with the 预留, 作废 and 补号 actions, for
the 部门管理员 of the body's department or a 全市系统管理员."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tongban.accounts.access import staff_only
from tongban.core.audit import record_request
from tongban.documents import number_register
from tongban.documents.errors import DocumentError
from tongban.documents.forms_settings import AbandonForm, BackfillForm, ReserveForm, posted_id
from tongban.documents.services import numbering
from tongban.documents.views.settings import require_administrator


@require_http_methods(["GET", "POST"])
@staff_only
def numbers(request: HttpRequest) -> HttpResponse:
    require_administrator(request, "document.numbers")
    user_id = request.user.pk
    bodies = list(number_register.administered_bodies(user_id))
    params = request.POST if request.method == "POST" else request.GET
    body_id = posted_id(params.get("body", "")) or (bodies[0].pk if bodies else None)
    body = next((b for b in bodies if b.pk == body_id), None)
    year = posted_id(params.get("year", "")) or numbering.current_year()
    record_request(
        request,
        event="document.numbers",
        object_type="issuing_body",
        object_id=body_id or "",
        denied=body is None and body_id is not None and bool(bodies),
    )
    if body is None and bodies:
        raise Http404
    errors: list[tuple[str, str]] = []
    action = request.POST.get("action", "") if request.method == "POST" else ""
    rows = number_register.register(body.pk, year) if body else []
    reserve = ReserveForm(request.POST if action == "reserve" else None, prefix="reserve")
    abandonable = [
        (r.document_id, f"{r.number} {r.document.title}")
        for r in rows
        if r.document is not None and r.document.sealed_at is None
    ]
    abandon = AbandonForm(
        request.POST if action == "abandon" else None, prefix="abandon", documents=abandonable
    )
    pool = number_register.pool(body.pk) if body else []
    awaiting = number_register.awaiting_number(body.pk) if body else []
    backfill = BackfillForm(
        request.POST if action == "backfill" else None,
        prefix="backfill",
        documents=[(d.pk, d.title) for d in awaiting],
        numbers=[(n.pk, f"{n.number}（{n.get_state_display()}）") for n in pool],
    )
    if body is not None and action:
        try:
            done = _act(action, user_id, body.pk, year, reserve, abandon, backfill)
        except DocumentError as exc:
            form, field = {
                "reserve": (reserve, "count" if exc.code == "count" else "reason"),
                "abandon": (abandon, "reason" if exc.code == "reason_required" else "document"),
                "backfill": (backfill, "number" if exc.code == "number" else "document"),
            }[action]
            form.add_error(field, exc.message)
            target = f"id_{action}_{field}"
            errors = [(target, exc.message)]
        else:
            messages.success(request, done)
            return redirect(f"{reverse('documents:numbers')}?body={body.pk}&year={year}")
    return render(
        request,
        "documents/settings_numbers.html",
        {
            "bodies": bodies,
            "body": body,
            "year": year,
            "rows": rows,
            "reserve": reserve,
            "abandon": abandon,
            "backfill": backfill,
            "errors": errors,
            "action": action,
            "may_backfill": bool(pool and awaiting),
            "may_abandon": bool(abandonable),
        },
        status=400 if errors else 200,
    )


def _act(
    action: str,
    user_id: int,
    body_id: int,
    year: int,
    reserve: ReserveForm,
    abandon: AbandonForm,
    backfill: BackfillForm,
) -> str:
    if action == "reserve":
        reserve.is_valid()
        count = posted_id(reserve.cleaned_data.get("count", "").strip())
        if count is None:
            raise DocumentError(_("预留数量应为1到50之间的整数"), code="count")
        taken = numbering.reserve_numbers(
            issuing_body_id=body_id,
            year=year,
            count=count,
            user_id=user_id,
            reason=reserve.cleaned_data["reason"],
        )
        return _("已预留文号：%(numbers)s") % {"numbers": "、".join(taken)}
    if action == "abandon":
        abandon.is_valid()
        document_id = posted_id(abandon.cleaned_data.get("document", ""))
        if document_id is None:
            raise DocumentError(_("请选择要作废文号的公文"))
        number = numbering.abandon_number(
            document_id=document_id, user_id=user_id, reason=abandon.cleaned_data.get("reason", "")
        )
        return _("已作废文号：%(number)s") % {"number": number}
    if action == "backfill":
        backfill.is_valid()
        document_id = posted_id(backfill.cleaned_data.get("document", ""))
        number_id = posted_id(backfill.cleaned_data.get("number", ""))
        if document_id is None:
            raise DocumentError(_("请选择要补号的公文"))
        if number_id is None:
            raise DocumentError(_("请选择文号"), code="number")
        number = numbering.assign_specific_number(
            document_id=document_id, number_id=number_id, user_id=user_id
        )
        return _("已补号：%(number)s") % {"number": number}
    raise Http404
