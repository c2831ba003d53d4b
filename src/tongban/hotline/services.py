"""12345 writes: 提交 (portal, 市长信箱, 部门信箱, 来电录入), 受理, 派单/改派, 签收, 退单, 回复, 办结 or
审核退回, 回访, 评价, 延期 (申请 and 审批), 并单, 督办 (by hand and by the periodic task), and the
staff pages' routing rules and time limits.

Each transition locks the order (``select_for_update``) and checks ``rules.TRANSITIONS`` for its
state, so of two identical actions the second gets a HotlineStateError (409) and changes nothing. Each
writes the order's record (``OrderEvent``) and an audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core import audit
from tongban.core.calendar import CHINA_TZ
from tongban.core.search import index_tokens
from tongban.hotline import classifier, rules
from tongban.hotline.access import (
    acts_for_lead,
    agent_department_ids,
    dispatcher_department_ids,
)
from tongban.hotline.categories import BUILTIN_CATEGORIES
from tongban.hotline.errors import HotlineError, HotlineNotFound, HotlineStateError
from tongban.hotline.models import (
    Category,
    Channel,
    DailyCounter,
    DispatchDecision,
    ExtensionRequest,
    ExtensionStatus,
    LimitUnit,
    OrderEvent,
    OrderType,
    RoutingRule,
    Satisfaction,
    State,
    TimeLimit,
    Urgency,
    WorkOrder,
)
from tongban.hotline.roles import HOTLINE_HANDLER
from tongban.moderation.selectors import blocking_words
from tongban.notifications.services import notify
from tongban.organizations.selectors import departments_by_ids, staff_ids_with_role

MAX_CONTENT = 2000
MAX_TITLE = 100

# STANDARDS §5 defaults (the time-limit table starts with these; staff edit them on a page).
DEFAULT_LIMITS = {
    Urgency.URGENT: (2, LimitUnit.HOURS),
    Urgency.UTILITY: (24, LimitUnit.HOURS),
    Urgency.GENERAL: (7, LimitUnit.WORKING_DAYS),
    Urgency.COMPLEX: (15, LimitUnit.WORKING_DAYS),
}


@dataclass(frozen=True)
class OrderFields:
    """What a citizen or a 话务员 enters."""

    order_type: str
    title: str
    content: str
    region_id: int | None = None
    address: str = ""
    name: str = ""
    phone: str = ""
    confidential: bool = False
    publish_consent: bool = False
    urgency: str = Urgency.GENERAL


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _locked(order_id: int) -> WorkOrder:
    order = WorkOrder.objects.select_for_update().filter(pk=order_id).first()
    if order is None:
        raise HotlineNotFound(_("没有找到该工单"), code="not_found")
    return order


def _event(
    order: WorkOrder,
    action: str,
    user_id: int | None,
    at: dt.datetime,
    note: str = "",
    department_id: int | None = None,
) -> None:
    OrderEvent.objects.create(
        order=order, action=action, actor_id=user_id, note=note, at=at, department_id=department_id
    )
    audit.record(
        event=f"hotline.{action}",
        actor_id=user_id,
        object_type="work_order",
        object_id=order.pk,
        subject_id=order.requester_id,
        department_id=department_id,
    )


def _check(order: WorkOrder, action: str) -> None:
    if not rules.may(action, order.state):
        raise HotlineStateError(
            _("该工单当前为“%(state)s”，不能进行此操作，请刷新页面查看最新情况")
            % {"state": order.get_state_display()},
            code="wrong_state",
        )


def _dispatcher(user_id: int) -> int:
    """The 12345 centre department the user dispatches for; refuses anyone else."""
    departments = dispatcher_department_ids(user_id)
    if not departments:
        raise HotlineError(_("您不是12345派单员"), code="not_dispatcher")
    return min(departments)


def _lead_handler(user_id: int, order: WorkOrder) -> int:
    if not acts_for_lead(user_id, order):
        raise HotlineError(_("只有承办单位的承办人员可以进行此操作"), code="not_lead")
    assert order.lead_department_id is not None
    return order.lead_department_id


def _link(order: WorkOrder) -> str:
    return reverse("hotline:order", args=[order.pk])


def _notify_staff(
    department_id: int, role: str, order: WorkOrder, *, title: str, body: str, key: str
) -> None:
    for user_id in staff_ids_with_role(department_id=department_id, role=role):
        notify(user_id=user_id, title=title, body=body, link=_link(order), key=f"{key}:{user_id}")


def _notify_dispatchers(order: WorkOrder, *, title: str, body: str, key: str) -> None:
    from tongban.hotline.selectors import dispatcher_ids

    for user_id in dispatcher_ids():
        notify(user_id=user_id, title=title, body=body, link=_link(order), key=f"{key}:{user_id}")


def _notify_requester(order: WorkOrder, *, title: str, body: str, key: str) -> None:
    if order.requester_id:
        link = reverse("hotline:my_order", args=[order.pk])
        notify(user_id=order.requester_id, title=title, body=body, link=link, key=key)


def _next_number(now: dt.datetime) -> str:
    """12345-YYYYMMDD-NNNN under a locked per-day counter."""
    day = now.astimezone(CHINA_TZ).date()
    DailyCounter.objects.get_or_create(day=day)
    counter = DailyCounter.objects.select_for_update().get(day=day)
    counter.last += 1
    counter.save(update_fields=["last"])
    return rules.number(day, counter.last)


def _suggest(text: str) -> tuple[Category | None, float | None]:
    """The classifier's category for ``text`` (None before a model was trained)."""
    suggestion = classifier.suggest(text)
    if suggestion is None:
        return None, None
    category = Category.objects.filter(code=suggestion.category_code, is_active=True).first()
    return category, (round(suggestion.confidence, 4) if category else None)


def _check_fields(fields: OrderFields, *, need_phone: bool) -> list[str]:
    problems = []
    if fields.order_type not in OrderType.values:
        problems.append(_("请选择诉求类型"))
    if not fields.title.strip():
        problems.append(_("请输入标题"))
    elif len(fields.title.strip()) > MAX_TITLE:
        problems.append(_("标题不能超过%(n)d个字") % {"n": MAX_TITLE})
    if not fields.content.strip():
        problems.append(_("请输入诉求内容"))
    elif len(fields.content) > MAX_CONTENT:
        problems.append(_("诉求内容不能超过%(n)d个字") % {"n": MAX_CONTENT})
    if fields.urgency not in Urgency.values:
        problems.append(_("请选择紧急程度"))
    if need_phone and not fields.phone.strip():
        problems.append(_("请输入来电号码"))
    if need_phone and not fields.name.strip():
        problems.append(_("请输入来电人姓名"))
    words = blocking_words(f"{fields.title}\n{fields.content}\n{fields.address}")
    if words:
        problems.append(
            _("内容含有不能提交的词语：%(words)s。请修改后再提交。") % {"words": "、".join(words)}
        )
    return problems


def _create(
    *,
    fields: OrderFields,
    channel: str,
    now: dt.datetime,
    requester_id: int | None,
    created_by_id: int | None,
    idempotency_key: str,
    mailbox_department_id: int | None,
) -> WorkOrder:
    category, confidence = _suggest(f"{fields.title}\n{fields.content}")
    urgency = fields.urgency
    if category is not None and category.code == "utilities" and urgency == Urgency.GENERAL:
        urgency = Urgency.UTILITY
    order = WorkOrder.objects.create(
        number=_next_number(now),
        channel=channel,
        mailbox_department_id=mailbox_department_id,
        requester_id=requester_id,
        requester_name=fields.name.strip()[:50],
        requester_phone=fields.phone.strip()[:20],
        confidential=fields.confidential,
        publish_consent=fields.publish_consent and not fields.confidential,
        order_type=fields.order_type,
        suggested_category=category,
        suggested_confidence=confidence,
        region_id=fields.region_id,
        address=fields.address.strip()[:200],
        title=fields.title.strip()[:MAX_TITLE],
        content=fields.content.strip(),
        tokens=index_tokens(fields.title, fields.content),
        urgency=urgency,
        created_at=now,
        created_by_id=created_by_id,
        idempotency_key=idempotency_key,
    )
    _event(order, "submitted", created_by_id or requester_id, now, order.get_channel_display())
    return order


def submit_order(
    *,
    requester_id: int,
    fields: OrderFields,
    idempotency_key: str,
    mailbox_department_id: int | None = None,
    mayor_mailbox: bool = False,
    now: dt.datetime | None = None,
) -> int:
    """A logged-in citizen's 诉求 (portal form, 市长信箱, or a department's mailbox). A department
    mailbox's letter goes straight to that department's queue to 签收; the rest wait for 受理.
    The same ``idempotency_key`` again returns the first order. Returns the order id."""
    if not idempotency_key:
        raise HotlineError(_("提交标识缺失，请刷新页面后重新提交"), code="no_key")
    existing = WorkOrder.objects.filter(requester_id=requester_id, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing.pk
    problems = _check_fields(fields, need_phone=False)
    if mailbox_department_id is not None and not departments_by_ids([mailbox_department_id]):
        problems.append(_("请选择有效的部门信箱"))
    if problems:
        raise HotlineError("；".join(problems), code="invalid_order", details=problems)
    now = _now(now)
    channel = (
        Channel.DEPARTMENT if mailbox_department_id else Channel.MAYOR if mayor_mailbox else Channel.PORTAL
    )
    try:
        with transaction.atomic():
            order = _create(
                fields=fields,
                channel=channel,
                now=now,
                requester_id=requester_id,
                created_by_id=None,
                idempotency_key=idempotency_key[:64],
                mailbox_department_id=mailbox_department_id,
            )
            if mailbox_department_id:
                _to_department(order, department_id=mailbox_department_id, user_id=None, now=now)
    except IntegrityError:
        existing = WorkOrder.objects.filter(
            requester_id=requester_id, idempotency_key=idempotency_key
        ).first()
        if existing is None:
            raise
        return existing.pk
    return order.pk


def enter_call(*, agent_id: int, fields: OrderFields, now: dt.datetime | None = None) -> int:
    """话务员 录入: a call becomes an order waiting for 受理 (caller's phone, 保密, region/address)."""
    if not agent_department_ids(agent_id) and not dispatcher_department_ids(agent_id):
        raise HotlineError(_("您不是12345话务员"), code="not_agent")
    problems = _check_fields(fields, need_phone=True)
    if problems:
        raise HotlineError("；".join(problems), code="invalid_order", details=problems)
    now = _now(now)
    with transaction.atomic():
        order = _create(
            fields=fields,
            channel=Channel.PHONE,
            now=now,
            requester_id=None,
            created_by_id=agent_id,
            idempotency_key="",
            mailbox_department_id=None,
        )
    return order.pk


@transaction.atomic
def accept(*, order_id: int, user_id: int, now: dt.datetime | None = None) -> None:
    """受理 by a 派单员: the order waits for 派单."""
    _dispatcher(user_id)
    order = _locked(order_id)
    _check(order, "accept")
    now = _now(now)
    order.state, order.accepted_at = State.ACCEPTED, now
    order.save(update_fields=["state", "accepted_at"])
    _event(order, "accepted", user_id, now)


def limit_for(order_type: str, urgency: str) -> tuple[int, str]:
    row = (
        TimeLimit.objects.filter(order_type=order_type, urgency=urgency).values_list("amount", "unit").first()
    )
    if row is not None:
        return row[0], row[1]
    amount, unit = DEFAULT_LIMITS[Urgency(urgency)]
    return amount, str(unit)


def route(*, category_id: int, region_id: int | None) -> RoutingRule | None:
    """The routing rule for a category and region: of the active rules for the category whose region
    is the order's, one of its parents, or any, the highest priority, then the most specific region."""
    from tongban.hotline.selectors import region_code_chain

    codes = region_code_chain(region_id)
    candidates = list(
        RoutingRule.objects.filter(category_id=category_id, is_active=True)
        .filter(Q(region__isnull=True) | Q(region__code__in=codes))
        .select_related("region")
        .prefetch_related("assisting_departments")
    )
    if not candidates:
        return None

    def rank(rule: RoutingRule) -> tuple[int, int, int]:
        specificity = len(rule.region.code.rstrip("0")) if rule.region else 0
        return (rule.priority, specificity, -rule.pk)

    return max(candidates, key=rank)


def _to_department(order: WorkOrder, *, department_id: int, user_id: int | None, now: dt.datetime) -> None:
    amount, unit = limit_for(order.order_type, order.urgency)
    order.state = State.DISPATCHED
    order.lead_department_id = department_id
    order.dispatched_at = now
    order.signed_at = None
    order.due_at = rules.due_at(now, amount=amount, unit=unit)
    order.warning = ""
    order.save(update_fields=["state", "lead_department", "dispatched_at", "signed_at", "due_at", "warning"])
    _notify_staff(
        department_id,
        HOTLINE_HANDLER,
        order,
        title=_("12345工单待签收：%(title)s") % {"title": order.title},
        body=_("%(number)s，请及时签收办理。") % {"number": order.number},
        key=f"hotline-dispatched:{order.pk}:{now.isoformat()}",
    )


@dataclass(frozen=True)
class DispatchChoice:
    category_id: int | None
    lead_department_id: int | None
    assisting_department_ids: tuple[int, ...] = ()
    urgency: str = ""
    note: str = ""


def _dispatch(
    order: WorkOrder, *, action: str, user_id: int, choice: DispatchChoice, now: dt.datetime
) -> None:
    _dispatcher(user_id)
    _check(order, action)
    problems = []
    category = (
        Category.objects.filter(pk=choice.category_id, is_active=True).first() if choice.category_id else None
    )
    if category is None:
        problems.append(_("请选择诉求分类"))
    if choice.lead_department_id is None or not departments_by_ids([choice.lead_department_id]):
        problems.append(_("请选择承办单位"))
    elif choice.lead_department_id in choice.assisting_department_ids:
        problems.append(_("承办单位不能同时是协办单位"))
    if choice.assisting_department_ids and len(
        departments_by_ids(list(choice.assisting_department_ids))
    ) != len(set(choice.assisting_department_ids)):
        problems.append(_("请选择有效的协办单位"))
    if choice.urgency and choice.urgency not in Urgency.values:
        problems.append(_("请选择紧急程度"))
    if action == "redispatch" and not choice.note.strip():
        problems.append(_("请说明改派理由"))
    if problems:
        raise HotlineError("；".join(problems), code="invalid_dispatch", details=problems)
    assert category is not None
    assert choice.lead_department_id is not None
    rule = route(category_id=category.pk, region_id=order.region_id)
    suggested_department_id = rule.lead_department_id if rule else None
    DispatchDecision.objects.create(
        order=order,
        suggested_category_id=order.suggested_category_id,
        chosen_category=category,
        suggested_department_id=suggested_department_id,
        chosen_department_id=choice.lead_department_id,
        category_overridden=order.suggested_category_id is not None
        and order.suggested_category_id != category.pk,
        department_overridden=suggested_department_id is not None
        and suggested_department_id != choice.lead_department_id,
        decided_by_id=user_id,
        decided_at=now,
    )
    order.category = category
    if choice.urgency:
        order.urgency = choice.urgency
    order.save(update_fields=["category", "urgency"])
    order.assisting_departments.set(choice.assisting_department_ids)
    _to_department(order, department_id=choice.lead_department_id, user_id=user_id, now=now)
    name = departments_by_ids([choice.lead_department_id])[choice.lead_department_id].name
    note = _("%(department)s（%(category)s）") % {"department": name, "category": category.name}
    if choice.note.strip():
        note += "：" + choice.note.strip()
    _event(order, "dispatched" if action == "dispatch" else "redispatched", user_id, now, note)


@transaction.atomic
def dispatch(*, order_id: int, user_id: int, choice: DispatchChoice, now: dt.datetime | None = None) -> None:
    """派单 (from 待派单 or 被退回): the dispatcher's category and lead department — pre-selected from
    the classifier's suggestion and the routing rule, any change recorded as an override. The
    limit (TimeLimit) starts now; the department's 承办人员 are told."""
    _dispatch(_locked(order_id), action="dispatch", user_id=user_id, choice=choice, now=_now(now))


@transaction.atomic
def redispatch(
    *, order_id: int, user_id: int, choice: DispatchChoice, now: dt.datetime | None = None
) -> None:
    """改派: a dispatched order moves to another department (a reason is required)."""
    _dispatch(_locked(order_id), action="redispatch", user_id=user_id, choice=choice, now=_now(now))


@transaction.atomic
def sign(*, order_id: int, user_id: int, now: dt.datetime | None = None) -> None:
    """签收 by the lead department's 承办人员."""
    order = _locked(order_id)
    department_id = _lead_handler(user_id, order)
    _check(order, "sign")
    now = _now(now)
    order.state, order.signed_at = State.HANDLING, now
    order.save(update_fields=["state", "signed_at"])
    _event(order, "signed", user_id, now, department_id=department_id)


@transaction.atomic
def return_order(*, order_id: int, user_id: int, reason: str, now: dt.datetime | None = None) -> None:
    """退单: the department says the order is not theirs (a reason required); it goes back to the
    dispatchers' queue (被退回) to re-dispatch."""
    order = _locked(order_id)
    department_id = _lead_handler(user_id, order)
    _check(order, "return")
    if not reason.strip():
        raise HotlineError(_("请输入退单理由"), code="reason_required")
    now = _now(now)
    order.state = State.RETURNED
    order.return_count += 1
    order.lead_department_id = None
    order.due_at = None
    order.warning = ""
    order.save(update_fields=["state", "return_count", "lead_department", "due_at", "warning"])
    order.assisting_departments.clear()
    _event(order, "returned", user_id, now, reason.strip(), department_id=department_id)
    _notify_dispatchers(
        order,
        title=_("12345工单被退回：%(title)s") % {"title": order.title},
        body=reason.strip()[:200],
        key=f"hotline-returned:{order.pk}:{order.return_count}",
    )


@transaction.atomic
def reply(*, order_id: int, user_id: int, text: str, now: dt.datetime | None = None) -> None:
    """回复: the department's answer to the requester; the dispatchers review it (办结审核)."""
    order = _locked(order_id)
    department_id = _lead_handler(user_id, order)
    _check(order, "reply")
    if not text.strip():
        raise HotlineError(_("请输入答复意见"), code="reply_required")
    words = blocking_words(text)
    if words:
        raise HotlineError(
            _("答复含有不能发布的词语：%(words)s。请修改后再提交。") % {"words": "、".join(words)},
            code="sensitive",
        )
    now = _now(now)
    order.state, order.reply, order.replied_at, order.replied_by_id = (
        State.REPLIED,
        text.strip(),
        now,
        user_id,
    )
    order.save(update_fields=["state", "reply", "replied_at", "replied_by"])
    ExtensionRequest.objects.filter(order=order, status=ExtensionStatus.PENDING).update(
        status=ExtensionStatus.REFUSED, decided_at=now, decision_note=_("已答复，延期申请自动撤回")
    )
    _event(order, "replied", user_id, now, department_id=department_id)


@transaction.atomic
def review(
    *, order_id: int, user_id: int, approve: bool, note: str = "", now: dt.datetime | None = None
) -> str:
    """办结审核 by a 派单员: close the order (the requester is told) or send it back to the department
    with a note. Returns the new state."""
    _dispatcher(user_id)
    order = _locked(order_id)
    now = _now(now)
    if approve:
        _check(order, "close")
        order.state, order.closed_at = State.CLOSED, now
        order.save(update_fields=["state", "closed_at"])
        _event(order, "closed", user_id, now, note.strip())
        _close_merged(order, now)
        _notify_requester(
            order,
            title=_("您的诉求已办结：%(title)s") % {"title": order.title},
            body=_("%(number)s已答复，请查看答复并评价。") % {"number": order.number},
            key=f"hotline-closed:{order.pk}",
        )
    else:
        _check(order, "send_back")
        if not note.strip():
            raise HotlineError(_("请输入退回理由"), code="note_required")
        order.state = State.HANDLING
        order.save(update_fields=["state"])
        _event(order, "sent_back", user_id, now, note.strip())
    return order.state


def _close_merged(master: WorkOrder, now: dt.datetime) -> None:
    for duplicate in WorkOrder.objects.filter(merged_into=master):
        _notify_requester(
            duplicate,
            title=_("您的诉求已办结：%(title)s") % {"title": duplicate.title},
            body=_("您的诉求已并入%(number)s办理，现已答复。") % {"number": master.number},
            key=f"hotline-merged-closed:{duplicate.pk}",
        )


@transaction.atomic
def follow_up(
    *, order_id: int, user_id: int, result: str, satisfaction: str = "", now: dt.datetime | None = None
) -> None:
    """回访 by a 派单员: the call's result, and the requester's rating from the call if given."""
    _dispatcher(user_id)
    order = _locked(order_id)
    _check(order, "follow_up")
    if not result.strip():
        raise HotlineError(_("请输入回访情况"), code="result_required")
    if satisfaction and satisfaction not in Satisfaction.values:
        raise HotlineError(_("请选择满意度"), code="satisfaction_invalid")
    now = _now(now)
    order.state, order.followup_result, order.followed_up_at = State.FOLLOWED_UP, result.strip(), now
    order.save(update_fields=["state", "followup_result", "followed_up_at"])
    _event(order, "followed_up", user_id, now, result.strip())
    if satisfaction:
        _rate(order, satisfaction=satisfaction, user_id=user_id, now=now, note=_("回访时记录"))


def _rate(order: WorkOrder, *, satisfaction: str, user_id: int, now: dt.datetime, note: str = "") -> None:
    _check(order, "rate")
    if satisfaction not in Satisfaction.values:
        raise HotlineError(_("请选择满意度"), code="satisfaction_required")
    order.state, order.satisfaction, order.rated_at = State.RATED, satisfaction, now
    order.save(update_fields=["state", "satisfaction", "rated_at"])
    _event(order, "rated", user_id, now, f"{order.get_satisfaction_display()}{('：' + note) if note else ''}")


@transaction.atomic
def rate(
    *,
    order_id: int,
    requester_id: int,
    satisfaction: str,
    publish_consent: bool | None = None,
    now: dt.datetime | None = None,
) -> None:
    """评价 by the requester, once, after 办结 (满意/基本满意/不满意); may give or withdraw the
    consent to publish the reply on the public board."""
    order = _locked(order_id)
    if order.requester_id != requester_id:
        raise HotlineNotFound(_("没有找到该工单"), code="not_found")
    _rate(order, satisfaction=satisfaction, user_id=requester_id, now=_now(now))
    if publish_consent is not None and publish_consent != order.publish_consent:
        order.publish_consent = publish_consent
        order.save(update_fields=["publish_consent"])


@transaction.atomic
def record_rating(*, order_id: int, user_id: int, satisfaction: str, now: dt.datetime | None = None) -> None:
    """评价 recorded by a 派单员 from the requester's call."""
    _dispatcher(user_id)
    order = _locked(order_id)
    _rate(order, satisfaction=satisfaction, user_id=user_id, now=_now(now), note=_("电话评价"))


@transaction.atomic
def request_extension(
    *, order_id: int, user_id: int, days: int | None, reason: str, now: dt.datetime | None = None
) -> int:
    """申请延期 by the lead department (one pending at a time), in working days."""
    order = _locked(order_id)
    department_id = _lead_handler(user_id, order)
    _check(order, "request_extension")
    problems = []
    if days is None or not 1 <= days <= rules.MAX_EXTENSION_DAYS:
        problems.append(_("延期天数须为1至%(n)d个工作日") % {"n": rules.MAX_EXTENSION_DAYS})
    if not reason.strip():
        problems.append(_("请输入延期理由"))
    if problems:
        raise HotlineError("；".join(problems), code="invalid_extension", details=problems)
    if order.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise HotlineStateError(_("已有一个延期申请在等待审批"), code="extension_pending")
    assert days is not None
    now = _now(now)
    extension = ExtensionRequest.objects.create(
        order=order, days=days, reason=reason.strip(), requested_by_id=user_id, requested_at=now
    )
    _event(
        order,
        "extension_requested",
        user_id,
        now,
        _("%(days)d个工作日：%(reason)s") % {"days": days, "reason": reason.strip()},
        department_id=department_id,
    )
    _notify_dispatchers(
        order,
        title=_("12345工单申请延期：%(title)s") % {"title": order.title},
        body=reason.strip()[:200],
        key=f"hotline-extension:{extension.pk}",
    )
    return extension.pk


@transaction.atomic
def decide_extension(
    *, order_id: int, user_id: int, approve: bool, note: str = "", now: dt.datetime | None = None
) -> None:
    """延期审批 by a 派单员: approved, the due date moves by the days asked; refused needs a note."""
    _dispatcher(user_id)
    order = _locked(order_id)
    _check(order, "decide_extension")
    extension = order.extensions.select_for_update().filter(status=ExtensionStatus.PENDING).first()
    if extension is None:
        raise HotlineStateError(_("没有待审批的延期申请"), code="no_pending_extension")
    if not approve and not note.strip():
        raise HotlineError(_("不同意延期时请填写审批意见"), code="note_required")
    now = _now(now)
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    extension.decided_by_id, extension.decided_at, extension.decision_note = user_id, now, note.strip()
    if approve and order.due_at is not None:
        extension.new_due_at = rules.extended_due_at(order.due_at, extension.days)
        order.due_at = extension.new_due_at
        order.warning = rules.warning(start=order.dispatched_at, due=order.due_at, now=now)
        order.save(update_fields=["due_at", "warning"])
    extension.save()
    _event(order, "extension_approved" if approve else "extension_refused", user_id, now, note.strip())


@transaction.atomic
def merge(*, order_id: int, master_id: int, user_id: int, now: dt.datetime | None = None) -> None:
    """并单: the duplicate ``order_id`` becomes 已并单 into ``master_id``; its requester is told and
    later sees the master's reply."""
    _dispatcher(user_id)
    if order_id == master_id:
        raise HotlineError(_("不能并入工单本身"), code="same_order")
    first, second = sorted((order_id, master_id))
    locked = {o.pk: o for o in (_locked(first), _locked(second))}
    order, master = locked[order_id], locked[master_id]
    _check(order, "merge")
    if master.state == State.MERGED:
        raise HotlineError(_("主工单已并入其他工单"), code="master_merged")
    now = _now(now)
    order.state, order.merged_into = State.MERGED, master
    order.lead_department_id, order.due_at, order.warning = None, None, ""
    order.save(update_fields=["state", "merged_into", "lead_department", "due_at", "warning"])
    _event(order, "merged", user_id, now, master.number)
    _event(master, "merged_from", user_id, now, order.number)
    _notify_requester(
        order,
        title=_("您的诉求已并单办理：%(title)s") % {"title": order.title},
        body=_("您的诉求与%(number)s反映的是同一问题，已并入该工单一并办理，办理结果将在此告知您。")
        % {"number": master.number},
        key=f"hotline-merged:{order.pk}",
    )


@transaction.atomic
def supervise(*, order_id: int, user_id: int, note: str, now: dt.datetime | None = None) -> None:
    """督办 by hand: the dispatcher flags the order and the department's 承办人员 are told."""
    _dispatcher(user_id)
    order = _locked(order_id)
    _check(order, "supervise")
    if not note.strip():
        raise HotlineError(_("请输入督办意见"), code="note_required")
    now = _now(now)
    order.supervised = True
    order.save(update_fields=["supervised"])
    _event(order, "supervised", user_id, now, note.strip())
    if order.lead_department_id:
        _notify_staff(
            order.lead_department_id,
            HOTLINE_HANDLER,
            order,
            title=_("12345工单督办：%(title)s") % {"title": order.title},
            body=note.strip()[:200],
            key=f"hotline-supervised:{order.pk}:{now.isoformat()}",
        )


def supervise_overdue(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The periodic 督办 (idempotent): overdue orders in a department's hands become 督办 (red) and
    their handlers and the dispatchers are told once; near-due ones get a yellow warning. Returns
    how many changed to red and to yellow this run."""
    now = _now(now)
    changed = {"red": 0, "yellow": 0}
    candidates = WorkOrder.objects.filter(state__in=rules.OPEN_STATES, due_at__isnull=False).exclude(
        warning="red"
    )
    for order_id in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            order = WorkOrder.objects.select_for_update().get(pk=order_id)
            if order.state not in rules.OPEN_STATES:
                continue
            level = rules.warning(start=order.dispatched_at, due=order.due_at, now=now)
            if level == order.warning or not level:
                continue
            order.warning = level
            fields = ["warning"]
            if level == "red":
                order.supervised = True
                fields.append("supervised")
            order.save(update_fields=fields)
            changed[level] += 1
            if level == "red":
                _event(order, "overdue_supervised", None, now, _("超过办理期限，系统自动督办"))
                title = _("12345工单超期督办：%(title)s") % {"title": order.title}
            else:
                title = _("12345工单即将到期：%(title)s") % {"title": order.title}
            body = _("%(number)s，办理期限%(due)s。") % {
                "number": order.number,
                "due": f"{order.due_at.astimezone(CHINA_TZ):%Y-%m-%d %H:%M}" if order.due_at else "",
            }
            key = f"hotline-{level}:{order.pk}:{order.due_at.isoformat() if order.due_at else ''}"
            if order.lead_department_id:
                _notify_staff(
                    order.lead_department_id, HOTLINE_HANDLER, order, title=title, body=body, key=key
                )
            if level == "red":
                _notify_dispatchers(order, title=title, body=body, key=key)
    return changed


# Staff settings pages ---------------------------------------------------------------------------


def _check_settings_user(user_id: int) -> None:
    if not dispatcher_department_ids(user_id):
        raise HotlineError(_("只有12345派单员可以修改"), code="not_dispatcher")


@transaction.atomic
def set_time_limit(*, user_id: int, order_type: str, urgency: str, amount: int | None, unit: str) -> None:
    _check_settings_user(user_id)
    problems = []
    if order_type not in OrderType.values or urgency not in Urgency.values:
        problems.append(_("请选择诉求类型和紧急程度"))
    if unit not in LimitUnit.values:
        problems.append(_("请选择时限单位"))
    if amount is None or not 1 <= amount <= 720:
        problems.append(_("时限须为1至720"))
    if problems:
        raise HotlineError("；".join(problems), code="invalid_limit", details=problems)
    TimeLimit.objects.update_or_create(
        order_type=order_type, urgency=urgency, defaults={"amount": amount, "unit": unit}
    )
    audit.record(
        event="hotline.time_limit",
        actor_id=user_id,
        object_type="hotline_time_limit",
        object_id=f"{order_type}/{urgency}",
    )


@transaction.atomic
def save_routing_rule(
    *,
    user_id: int,
    rule_id: int | None,
    category_id: int | None,
    region_id: int | None,
    lead_department_id: int | None,
    assisting_department_ids: Iterable[int] = (),
    priority: int = 0,
    is_active: bool = True,
) -> int:
    """Add or change a 派单规则."""
    _check_settings_user(user_id)
    assisting = tuple(assisting_department_ids)
    problems = []
    if not category_id or not Category.objects.filter(pk=category_id).exists():
        problems.append(_("请选择诉求分类"))
    if lead_department_id is None or not departments_by_ids([lead_department_id]):
        problems.append(_("请选择承办单位"))
    elif lead_department_id in assisting:
        problems.append(_("承办单位不能同时是协办单位"))
    if not -100 <= priority <= 100:
        problems.append(_("优先级须为-100至100"))
    if problems:
        raise HotlineError("；".join(problems), code="invalid_rule", details=problems)
    if rule_id:
        rule = RoutingRule.objects.select_for_update().filter(pk=rule_id).first()
        if rule is None:
            raise HotlineNotFound(_("没有找到该派单规则"), code="not_found")
    else:
        rule = RoutingRule()
    assert category_id is not None
    assert lead_department_id is not None
    rule.category_id, rule.region_id, rule.lead_department_id = category_id, region_id, lead_department_id
    rule.priority, rule.is_active = priority, is_active
    rule.save()
    rule.assisting_departments.set(assisting)
    audit.record(
        event="hotline.routing_rule", actor_id=user_id, object_type="hotline_routing_rule", object_id=rule.pk
    )
    return rule.pk


@transaction.atomic
def add_category(*, user_id: int, code: str, name: str, scope: str = "") -> int:
    """A city's own 诉求分类."""
    _check_settings_user(user_id)
    code, name = code.strip().lower(), name.strip()
    problems = []
    import re

    if not re.fullmatch(r"[a-z][a-z0-9_]{1,39}", code):
        problems.append(_("分类代码须为2至40个小写字母、数字或下划线，以字母开头"))
    elif Category.objects.filter(code=code).exists():
        problems.append(_("该分类代码已存在"))
    if not name:
        problems.append(_("请输入分类名称"))
    if problems:
        raise HotlineError("；".join(problems), code="invalid_category", details=problems)
    category = Category.objects.create(code=code, name=name[:50], scope=scope.strip()[:200])
    audit.record(
        event="hotline.category", actor_id=user_id, object_type="hotline_category", object_id=category.pk
    )
    return category.pk


# Demo and data import ---------------------------------------------------------------------------


def ensure_routing_rule(*, category_code: str, region_id: int | None, lead_department_id: int) -> bool:
    """A routing rule for the category and region unless one is there (the demo city's setup; no
    actor). Returns whether it was created."""
    category = Category.objects.get(code=category_code)
    same_region = Q(region__isnull=True) if region_id is None else Q(region_id=region_id)
    if RoutingRule.objects.filter(same_region, category=category).exists():
        return False
    RoutingRule.objects.create(category=category, region_id=region_id, lead_department_id=lead_department_id)
    return True


@dataclass(frozen=True)
class ClosedOrder:
    """An order closed before this system (imported history; the demo's labelled corpus)."""

    key: str  # unique, keeps an import idempotent
    text: str
    category_code: str
    order_type: str
    region_id: int | None
    address: str
    lead_department_id: int
    created_at: dt.datetime
    reply: str
    satisfaction: str
    publish_consent: bool
    requester_name: str


@transaction.atomic
def import_closed_orders(orders: Iterable[ClosedOrder]) -> int:
    """Bulk-create closed (rated) orders with their 派单 decision, for the statistics, the board and
    the classifier's training examples. Numbers take serials from 5001 on their day (the live counter
    starts at 1). Orders whose key is there already are skipped. Returns how many were created."""
    rows = list(orders)
    taken = set(
        WorkOrder.objects.filter(idempotency_key__in=[o.key for o in rows]).values_list(
            "idempotency_key", flat=True
        )
    )
    categories = {c.code: c for c in Category.objects.all()}
    per_day: dict[dt.date, int] = {}
    for number in WorkOrder.objects.filter(number__regex=r"-5\d{3}$").values_list("number", flat=True):
        stamp = number.split("-")[1]
        day = dt.date(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:]))
        per_day[day] = max(per_day.get(day, 5000), int(number.rsplit("-", 1)[1]))
    created: list[WorkOrder] = []
    for o in rows:
        if o.key in taken:
            continue
        day = o.created_at.astimezone(CHINA_TZ).date()
        per_day[day] = per_day.get(day, 5000) + 1
        dispatched_at = o.created_at + dt.timedelta(hours=2)
        amount, unit = limit_for(o.order_type, Urgency.GENERAL)
        due = rules.due_at(dispatched_at, amount=amount, unit=unit)
        replied_at = dispatched_at + dt.timedelta(days=2)
        title = o.text.split("，")[0][:30]
        created.append(
            WorkOrder(
                number=rules.number(day, per_day[day]),
                channel=Channel.PHONE,
                requester_name=o.requester_name,
                order_type=o.order_type,
                category=categories[o.category_code],
                region_id=o.region_id,
                address=o.address[:200],
                title=title,
                content=o.text,
                lead_department_id=o.lead_department_id,
                state=State.RATED if o.satisfaction else State.CLOSED,
                created_at=o.created_at,
                idempotency_key=o.key,
                accepted_at=o.created_at + dt.timedelta(hours=1),
                dispatched_at=dispatched_at,
                signed_at=dispatched_at + dt.timedelta(hours=3),
                due_at=due,
                reply=o.reply,
                replied_at=replied_at,
                closed_at=replied_at + dt.timedelta(hours=4),
                satisfaction=o.satisfaction,
                rated_at=replied_at + dt.timedelta(days=1) if o.satisfaction else None,
                publish_consent=o.publish_consent,
            )
        )
    WorkOrder.objects.bulk_create(created, batch_size=500)
    keys = [o.idempotency_key for o in created]
    saved = WorkOrder.objects.filter(idempotency_key__in=keys).values_list(
        "pk", "category_id", "lead_department_id", "dispatched_at"
    )
    DispatchDecision.objects.bulk_create(
        [
            DispatchDecision(
                order_id=pk,
                chosen_category_id=category_id,
                chosen_department_id=department_id,
                suggested_department_id=department_id,
                decided_at=at or timezone.now(),
            )
            for pk, category_id, department_id, at in saved
        ],
        batch_size=1000,
    )
    return len(created)


@transaction.atomic
def ensure_builtin_categories_and_limits() -> None:
    """The built-in 诉求分类 and the default time limits, where missing (migration 0002 seeds them; the
    demo loader calls this too, so a database whose tables were emptied is whole again). Rows a city
    edited are left as they are."""
    for position, category in enumerate(BUILTIN_CATEGORIES):
        Category.objects.get_or_create(
            code=category.code,
            defaults={
                "name": category.name,
                "scope": category.scope,
                "is_builtin": True,
                "position": position,
            },
        )
    for order_type in OrderType.values:
        for urgency, (amount, unit) in rules.DEFAULT_LIMITS.items():
            TimeLimit.objects.get_or_create(
                order_type=order_type, urgency=urgency, defaults={"amount": amount, "unit": unit}
            )
