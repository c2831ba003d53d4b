"""12345 pages. Portal: the 诉求 form, 市长信箱 and department mailboxes, 我的诉求 (status, reply,
评价) and the 公开栏. Staff: the dispatchers' and departments' queues, 来电录入, the order page with
every action's form, routing rules, time limits and statistics (CSV).

Each action posts to its own URL, calls one service and redirects; a refusal re-renders the order
page with the error summary (400, or 409 when the order moved on)."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongban.accounts.access import staff_only
from tongban.accounts.selectors import contact_of
from tongban.core.audit import record_request
from tongban.core.errors import TongbanError
from tongban.core.sms.masking import mask_phone
from tongban.hotline import rules, selectors, services
from tongban.hotline.access import (
    acts_for_lead,
    agent_department_ids,
    get_order_for,
    handler_department_ids,
    is_dispatcher,
)
from tongban.hotline.forms import MAYOR, CallForm, OrderForm, errors_of, region_choices
from tongban.hotline.models import (
    Category,
    LimitUnit,
    OrderType,
    Satisfaction,
    State,
    Urgency,
    WorkOrder,
)
from tongban.organizations.selectors import active_departments_by_region

citizen_only = login_required(login_url="accounts:login")


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.lstrip("-").isdigit() and len(value) < 10 else None


def _departments() -> list[tuple[int, str]]:
    return [(d.id, d.name) for group in active_departments_by_region() for d in group.departments]


# Portal -----------------------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "hotline/index.html", {"categories": selectors.active_categories()})


@require_http_methods(["GET", "POST"])
@citizen_only
def new(request: HttpRequest, mailbox: bool = False) -> HttpResponse:
    """网上诉求 (咨询/求助/投诉/举报/建议/表扬), or with ``mailbox`` the 市长信箱 / 部门信箱 form."""
    mailboxes = None
    if mailbox:
        mailboxes = [(MAYOR, _("市长信箱"))] + [(str(i), name) for i, name in _departments()]
    form = OrderForm(request.POST if request.method == "POST" else None, mailboxes=mailboxes)
    if mailbox and request.method == "GET" and request.GET.get("to"):
        form.initial["mailbox"] = request.GET["to"]
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            chosen = data.get("mailbox") or ""
            user = request.user
            try:
                order_id = services.submit_order(
                    requester_id=user.pk,
                    fields=services.OrderFields(
                        order_type=data["order_type"],
                        title=data["title"],
                        content=data["content"],
                        region_id=data["region"],
                        address=data["address"],
                        name=getattr(user, "full_name", "") or "",
                        phone=getattr(user, "phone", "") or "",
                        publish_consent=data["publish_consent"],
                    ),
                    idempotency_key=data["idempotency_key"],
                    mailbox_department_id=_int(chosen) if chosen and chosen != MAYOR else None,
                    mayor_mailbox=chosen == MAYOR,
                )
            except TongbanError as exc:
                errors = [("id_content", m) for m in (exc.details or [exc.message])]
            else:
                messages.success(request, _("您的诉求已提交，我们会尽快办理。"))
                return redirect("hotline:my_order", order_id)
        else:
            errors = errors_of(form)
    return render(
        request,
        "hotline/new.html",
        {"form": form, "errors": errors, "mailbox": mailbox},
        status=400 if errors else 200,
    )


@require_GET
@citizen_only
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "hotline/mine.html", {"orders": selectors.my_orders(request.user.pk)})


def _my_order(request: HttpRequest, order_id: int) -> WorkOrder:
    order = selectors.my_order(request.user.pk, order_id)
    record_request(
        request, event="hotline.my_order", object_type="work_order", object_id=order_id, denied=order is None
    )
    if order is None:
        raise Http404
    return order


def _my_order_page(request: HttpRequest, order: WorkOrder, **extra: Any) -> HttpResponse:
    status = extra.pop("status", 200)
    events = [e for e in selectors.timeline(order) if e.action in PUBLIC_EVENTS]
    context = {
        "order": order,
        "answer": selectors.answer_of(order),
        "events": events,
        "can_rate": order.state in ("closed", "followed_up"),
        "satisfactions": Satisfaction.choices,
        **extra,
    }
    return render(request, "hotline/my_order.html", context, status=status)


PUBLIC_EVENTS = {
    "submitted",
    "accepted",
    "dispatched",
    "redispatched",
    "signed",
    "closed",
    "rated",
    "merged",
    "followed_up",
}


@require_GET
@citizen_only
def my_order(request: HttpRequest, order_id: int) -> HttpResponse:
    return _my_order_page(request, _my_order(request, order_id))


@require_POST
@citizen_only
def rate(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _my_order(request, order_id)
    try:
        services.rate(
            order_id=order.pk,
            requester_id=request.user.pk,
            satisfaction=request.POST.get("satisfaction", ""),
            publish_consent=request.POST.get("publish_consent") == "on",
        )
    except TongbanError as exc:
        order.refresh_from_db()
        return _my_order_page(request, order, errors=[("id_satisfaction", exc.message)], status=exc.status)
    messages.success(request, _("感谢您的评价。"))
    return redirect("hotline:my_order", order.pk)


@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """公开栏: replies the requesters agreed to publish, personal data masked."""
    category = request.GET.get("category", "")
    page = _int(request.GET.get("page")) or 1
    entries, total = selectors.board(category_code=category, page=page)
    pages = max((total + selectors.BOARD_PER_PAGE - 1) // selectors.BOARD_PER_PAGE, 1)
    return render(
        request,
        "hotline/board.html",
        {
            "entries": entries,
            "total": total,
            "category": category,
            "categories": selectors.active_categories(),
            "page": page,
            "pages": pages,
        },
    )


# Staff ------------------------------------------------------------------------------------------


def _refuse(request: HttpRequest, event: str) -> None:
    record_request(request, event=event, object_type="hotline_page", object_id="", denied=True)
    raise Http404


@require_GET
@staff_only
def queue(request: HttpRequest) -> HttpResponse:
    """The 派单员's queue: 待受理, 待派单, 被退回, 待审核回复, 待回访, 督办 (red/yellow), 延期审批."""
    if not is_dispatcher(request.user.pk):
        _refuse(request, "hotline.queue")
    tab = request.GET.get("tab", "submitted")
    if tab not in dict(selectors.DISPATCHER_TABS):
        tab = "submitted"
    counts, rows = selectors.dispatcher_queue(tab)
    tabs = [(key, label, counts[key]) for key, label in selectors.DISPATCHER_TABS]
    return render(request, "hotline/queue.html", {"tabs": tabs, "tab": tab, "rows": rows, "dispatcher": True})


@require_GET
@staff_only
def department(request: HttpRequest) -> HttpResponse:
    """A department's queue: 待签收, 办理中, 将到期/超期, 已回复."""
    if not handler_department_ids(request.user.pk):
        _refuse(request, "hotline.department_queue")
    tab = request.GET.get("tab", "dispatched")
    if tab not in dict(selectors.DEPARTMENT_TABS):
        tab = "dispatched"
    counts, rows = selectors.department_queue(request.user.pk, tab)
    tabs = [(key, label, counts[key]) for key, label in selectors.DEPARTMENT_TABS]
    return render(
        request, "hotline/queue.html", {"tabs": tabs, "tab": tab, "rows": rows, "dispatcher": False}
    )


@require_http_methods(["GET", "POST"])
@staff_only
def call(request: HttpRequest) -> HttpResponse:
    """来电录入 by a 话务员."""
    user_id = request.user.pk
    if not agent_department_ids(user_id) and not is_dispatcher(user_id):
        _refuse(request, "hotline.call")
    form = CallForm(request.POST if request.method == "POST" else None)
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                order_id = services.enter_call(
                    agent_id=user_id,
                    fields=services.OrderFields(
                        order_type=data["order_type"],
                        title=data["title"],
                        content=data["content"],
                        region_id=data["region"],
                        address=data["address"],
                        name=data["caller_name"],
                        phone=data["caller_phone"],
                        confidential=data["confidential"],
                        urgency=data["urgency"],
                    ),
                )
            except TongbanError as exc:
                errors = [("id_content", m) for m in (exc.details or [exc.message])]
            else:
                number = WorkOrder.objects.values_list("number", flat=True).get(pk=order_id)
                messages.success(request, _("已录入工单%(number)s。") % {"number": number})
                return redirect("hotline:call")
        else:
            errors = errors_of(form)
    return render(
        request,
        "hotline/call.html",
        {"form": form, "errors": errors, "recent": selectors.agent_orders(user_id)},
        status=400 if errors else 200,
    )


def _visible_order(request: HttpRequest, order_id: int, event: str = "hotline.viewed") -> WorkOrder:
    order = get_order_for(request.user.pk, order_id)
    record_request(
        request,
        event=event,
        object_type="work_order",
        object_id=order_id,
        subject_id=order.requester_id if order else None,
        denied=order is None,
    )
    if order is None:
        raise Http404
    return order


def _order_context(request: HttpRequest, order: WorkOrder) -> dict[str, Any]:
    user_id = request.user.pk
    dispatcher = is_dispatcher(user_id)
    lead = acts_for_lead(user_id, order)
    state = order.state
    pending = selectors.pending_extension(order)
    chosen_category_id = order.category_id or order.suggested_category_id
    rule = selectors.route_preview(order, chosen_category_id)
    can_dispatch = dispatcher and rules.may("dispatch", state)
    can_redispatch = dispatcher and rules.may("redispatch", state)
    show_person = dispatcher or not order.confidential
    person_phone = order.requester_phone
    if order.requester_id and not person_phone:
        contact = contact_of(order.requester_id)
        person_phone = contact.phone if contact else ""
    duplicates = selectors.likely_duplicates(order) if dispatcher and rules.may("merge", state) else []
    return {
        "order": order,
        "events": selectors.timeline(order),
        "decisions": selectors.decisions_of(order) if dispatcher else [],
        "extensions": selectors.extensions_of(order),
        "assisting": selectors.assisting_names(order),
        "warning": rules.warning(start=order.dispatched_at, due=order.due_at, now=timezone.now())
        if state in rules.OPEN_STATES
        else "",
        "requester_name": order.requester_name if show_person else _("（保密）"),
        "requester_phone": person_phone if show_person else mask_phone(person_phone),
        "dispatcher": dispatcher,
        "can_accept": dispatcher and rules.may("accept", state),
        "can_dispatch": can_dispatch,
        "can_redispatch": can_redispatch,
        "can_sign": lead and rules.may("sign", state),
        "can_return": lead and rules.may("return", state),
        "can_reply": lead and rules.may("reply", state),
        "can_extend": lead and rules.may("request_extension", state) and pending is None,
        "can_review": dispatcher and rules.may("close", state),
        "can_follow_up": dispatcher and rules.may("follow_up", state),
        "can_record_rating": dispatcher and rules.may("rate", state),
        "can_decide_extension": dispatcher and pending is not None and rules.may("decide_extension", state),
        "can_supervise": dispatcher and rules.may("supervise", state),
        "can_merge": dispatcher and rules.may("merge", state),
        "pending_extension": pending,
        "duplicates": duplicates,
        "merge_default": duplicates[0].order.number if duplicates else "",
        "categories": selectors.active_categories() if can_dispatch or can_redispatch else [],
        "departments": _departments() if can_dispatch or can_redispatch else [],
        "chosen_category_id": chosen_category_id,
        "rule": rule,
        "chosen_lead_id": rule.lead_department_id if rule else None,
        "chosen_assisting_ids": [d.pk for d in rule.assisting_departments.all()] if rule else [],
        "urgencies": Urgency.choices,
        "satisfactions": Satisfaction.choices,
        "merged": order.merged.all() if dispatcher else [],
    }


@require_GET
@staff_only
def order_page(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _visible_order(request, order_id)
    return render(request, "hotline/order.html", _order_context(request, order))


ACTION_FIELDS = {
    "dispatch": "id_category",
    "redispatch": "id_category",
    "return": "id_return_reason",
    "reply": "id_reply",
    "review": "id_review_note",
    "follow_up": "id_followup_result",
    "record_rating": "id_record_satisfaction",
    "extend": "id_days",
    "decide_extension": "id_decision_note",
    "merge": "id_master",
    "supervise": "id_supervise_note",
}

DONE = {
    "accept": gettext_lazy("已受理，请派单。"),
    "dispatch": gettext_lazy("已派单。"),
    "redispatch": gettext_lazy("已改派。"),
    "sign": gettext_lazy("已签收。"),
    "return": gettext_lazy("已退单，工单已退回派单员。"),
    "reply": gettext_lazy("已回复，等待办结审核。"),
    "follow_up": gettext_lazy("已记录回访情况。"),
    "record_rating": gettext_lazy("已记录评价。"),
    "extend": gettext_lazy("已提交延期申请。"),
    "merge": gettext_lazy("已并单。"),
    "supervise": gettext_lazy("已督办。"),
}


def _dispatch_choice(post: Any) -> services.DispatchChoice:
    return services.DispatchChoice(
        category_id=_int(post.get("category")),
        lead_department_id=_int(post.get("lead_department")),
        assisting_department_ids=tuple(
            i for i in (_int(v) for v in post.getlist("assisting")) if i is not None
        ),
        urgency=post.get("urgency", ""),
        note=post.get("note", ""),
    )


@require_POST
@staff_only
def act(request: HttpRequest, order_id: int, action: str) -> HttpResponse:
    """The order's actions by name (see DONE and ACTION_FIELDS)."""
    if action not in ACTION_FIELDS and action not in DONE:
        raise Http404
    order = _visible_order(request, order_id, event=f"hotline.{action}")
    user_id = request.user.pk
    post = request.POST
    done = str(DONE.get(action, _("已保存。")))
    try:
        if action == "accept":
            services.accept(order_id=order.pk, user_id=user_id)
        elif action == "dispatch":
            services.dispatch(order_id=order.pk, user_id=user_id, choice=_dispatch_choice(post))
        elif action == "redispatch":
            services.redispatch(order_id=order.pk, user_id=user_id, choice=_dispatch_choice(post))
        elif action == "sign":
            services.sign(order_id=order.pk, user_id=user_id)
        elif action == "return":
            services.return_order(order_id=order.pk, user_id=user_id, reason=post.get("reason", ""))
        elif action == "reply":
            services.reply(order_id=order.pk, user_id=user_id, text=post.get("reply", ""))
        elif action == "review":
            if post.get("decision") not in ("close", "send_back"):
                raise services.HotlineError(_("请选择审核结果"), code="decision_required")
            state = services.review(
                order_id=order.pk,
                user_id=user_id,
                approve=post.get("decision") == "close",
                note=post.get("note", ""),
            )
            done = _("已办结。") if state == State.CLOSED else _("已退回承办单位重新办理。")
        elif action == "follow_up":
            services.follow_up(
                order_id=order.pk,
                user_id=user_id,
                result=post.get("result", ""),
                satisfaction=post.get("satisfaction", ""),
            )
        elif action == "record_rating":
            services.record_rating(
                order_id=order.pk, user_id=user_id, satisfaction=post.get("satisfaction", "")
            )
        elif action == "extend":
            services.request_extension(
                order_id=order.pk, user_id=user_id, days=_int(post.get("days")), reason=post.get("reason", "")
            )
        elif action == "decide_extension":
            if post.get("decision") not in ("approve", "refuse"):
                raise services.HotlineError(_("请选择审批结果"), code="decision_required")
            approve = post.get("decision") == "approve"
            services.decide_extension(
                order_id=order.pk, user_id=user_id, approve=approve, note=post.get("note", "")
            )
            done = _("已同意延期。") if approve else _("已不同意延期。")
        elif action == "merge":
            master = (
                WorkOrder.objects.filter(number=post.get("master", "").strip())
                .values_list("pk", flat=True)
                .first()
            )
            if master is None:
                raise services.HotlineError(_("请输入要并入的主工单编号"), code="master_required")
            services.merge(order_id=order.pk, master_id=master, user_id=user_id)
        elif action == "supervise":
            services.supervise(order_id=order.pk, user_id=user_id, note=post.get("note", ""))
    except TongbanError as exc:
        if exc.status == 404:
            raise Http404 from exc
        order.refresh_from_db()
        context = _order_context(request, order) | {
            "errors": [
                (ACTION_FIELDS.get(action, "main-heading"), m) for m in (exc.details or [exc.message])
            ],
            "error_field": ACTION_FIELDS.get(action, "main-heading"),
            "values": {k: post.get(k, "") for k in ("reason", "reply", "note", "result", "days", "master")},
        }
        return render(request, "hotline/order.html", context, status=exc.status)
    messages.success(request, done)
    return redirect("hotline:order", order.pk)


def _dispatcher_page(request: HttpRequest, event: str) -> None:
    if not is_dispatcher(request.user.pk):
        _refuse(request, event)


@require_http_methods(["GET", "POST"])
@staff_only
def routing_rules(request: HttpRequest) -> HttpResponse:
    """派单规则 and the city's own 诉求分类."""
    _dispatcher_page(request, "hotline.rules")
    errors: list[tuple[str, str]] = []
    values: dict[str, Any] = {}
    if request.method == "POST":
        post = request.POST
        values = {
            k: post.get(k, "")
            for k in ("rule", "category", "region", "lead_department", "priority", "code", "name", "scope")
        }
        try:
            if post.get("form") == "category":
                services.add_category(
                    user_id=request.user.pk,
                    code=post.get("code", ""),
                    name=post.get("name", ""),
                    scope=post.get("scope", ""),
                )
                messages.success(request, _("已添加诉求分类。"))
            else:
                services.save_routing_rule(
                    user_id=request.user.pk,
                    rule_id=_int(post.get("rule")),
                    category_id=_int(post.get("category")),
                    region_id=_int(post.get("region")),
                    lead_department_id=_int(post.get("lead_department")),
                    assisting_department_ids=[i for i in (_int(v) for v in post.getlist("assisting")) if i],
                    priority=_int(post.get("priority")) or 0,
                    is_active=post.get("is_active", "on") == "on",
                )
                messages.success(request, _("已保存派单规则。"))
            return redirect("hotline:rules")
        except TongbanError as exc:
            target = "id_code" if post.get("form") == "category" else "id_category"
            errors = [(target, m) for m in (exc.details or [exc.message])]
    return render(
        request,
        "hotline/rules.html",
        {
            "rules": selectors.routing_rules(),
            "categories": list(Category.objects.all()),
            "regions": region_choices(),
            "departments": _departments(),
            "errors": errors,
            "values": values,
        },
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
@staff_only
def time_limits(request: HttpRequest) -> HttpResponse:
    """办理时限 per type and urgency."""
    _dispatcher_page(request, "hotline.limits")
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        post = request.POST
        try:
            services.set_time_limit(
                user_id=request.user.pk,
                order_type=post.get("order_type", ""),
                urgency=post.get("urgency", ""),
                amount=_int(post.get("amount")),
                unit=post.get("unit", ""),
            )
        except TongbanError as exc:
            errors = [("id_amount", m) for m in (exc.details or [exc.message])]
        else:
            messages.success(request, _("已保存办理时限。"))
            return redirect("hotline:limits")
    return render(
        request,
        "hotline/limits.html",
        {
            "limits": selectors.time_limits(),
            "order_types": OrderType.choices,
            "urgencies": Urgency.choices,
            "units": LimitUnit.choices,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    try:
        first = dt.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        first = today.replace(day=1)
    try:
        last = dt.date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        last = today
    if last < first:
        first, last = last, first
    return first, last


@require_GET
@staff_only
def statistics(request: HttpRequest) -> HttpResponse:
    """按时签收率, 按时办结率, 满意率 per department and per category for a period (CSV download)."""
    _dispatcher_page(request, "hotline.statistics")
    first, last = _period(request)
    stats = selectors.statistics(first=first, last=last)
    if request.GET.get("format") == "csv":
        record_request(
            request,
            event="hotline.statistics_csv",
            object_type="hotline_statistics",
            object_id=f"{first}/{last}",
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="hotline-statistics-{first}-{last}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(
            [
                _("分组"),
                _("名称"),
                _("派单数"),
                _("按时签收"),
                _("按时签收率"),
                _("应办结"),
                _("按时办结"),
                _("按时办结率"),
                _("评价数"),
                _("满意"),
                _("满意率"),
            ]
        )
        for group, rows in (
            (_("承办单位"), stats.by_department),
            (_("诉求分类"), stats.by_category),
            (_("合计"), [stats.total]),
        ):
            for r in rows:
                writer.writerow(
                    [
                        group,
                        r.label,
                        r.dispatched,
                        r.signed_on_time,
                        r.sign_rate,
                        r.due_or_closed,
                        r.closed_on_time,
                        r.close_rate,
                        r.rated,
                        r.satisfied,
                        r.satisfaction_rate,
                    ]
                )
        return response
    return render(request, "hotline/statistics.html", {"stats": stats, "first": first, "last": last})
