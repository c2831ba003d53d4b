"""Each transition of a work order, its refusals (state, role, department), and that a refused
action changes nothing."""

import datetime as dt

import pytest

from tongban.core.models import AuditEvent
from tongban.hotline import services
from tongban.hotline.errors import HotlineError, HotlineStateError
from tongban.hotline.models import DispatchDecision, OrderEvent, State, WorkOrder
from tongban.hotline.tests.helpers import MONDAY, closed, dispatched, handling, order, submit
from tongban.moderation.models import SensitiveWord
from tongban.moderation.selectors import forget_cached_words
from tongban.notifications.models import Notification as Message

pytestmark = pytest.mark.django_db


def _choice(c, category="market", department=None, **kw):
    return services.DispatchChoice(
        category_id=c.category(category).pk, lead_department_id=(department or c.jinjiang_market).pk, **kw
    )


def test_a_portal_submission_is_numbered_and_waits_for_acceptance(c):
    first = submit(c, key="a")
    second = submit(c, key="b")
    assert order(first).number == "12345-20260302-0001"
    assert order(second).number == "12345-20260302-0002"
    assert order(first).state == State.SUBMITTED
    assert order(first).channel == "portal"
    assert order(first).tokens.strip() != ""


def test_the_same_submission_twice_is_one_order(c):
    assert submit(c, key="same") == submit(c, key="same")
    assert WorkOrder.objects.count() == 1


def test_blocking_words_refuse_the_submission_with_the_word_named(c):
    SensitiveWord.objects.create(word="法轮", category="political", action="block")
    forget_cached_words()
    with pytest.raises(HotlineError) as refused:
        submit(c, text="我要举报法轮活动")
    assert "法轮" in refused.value.message
    assert WorkOrder.objects.count() == 0


def test_a_department_mailbox_letter_goes_straight_to_the_department(c):
    order_id = submit(c, mailbox_department_id=c.qingshan_market.pk)
    o = order(order_id)
    assert (o.channel, o.state, o.lead_department_id) == (
        "department",
        State.DISPATCHED,
        c.qingshan_market.pk,
    )
    assert o.due_at is not None
    services.sign(order_id=order_id, user_id=c.qingshan_handler.id, now=MONDAY)
    assert order(order_id).state == State.HANDLING


def test_the_mayor_mailbox_waits_for_acceptance(c):
    o = order(submit(c, mayor_mailbox=True))
    assert (o.channel, o.state) == ("mayor", State.SUBMITTED)


def test_an_agent_enters_a_call_with_phone_and_confidentiality(c):
    fields = services.OrderFields(
        order_type="help",
        title="小区停水",
        content="幸福小区已经停水一天了",
        name="王先生",
        phone="13911112222",
        confidential=True,
        region_id=c.qingshan.pk,
        address="幸福小区",
    )
    o = order(services.enter_call(agent_id=c.agent.id, fields=fields, now=MONDAY))
    assert (o.channel, o.requester_phone, o.confidential, o.created_by_id) == (
        "phone",
        "13911112222",
        True,
        c.agent.id,
    )
    with pytest.raises(HotlineError):
        services.enter_call(agent_id=c.jinjiang_handler.id, fields=fields)
    with pytest.raises(HotlineError) as refused:
        services.enter_call(
            agent_id=c.agent.id, fields=services.OrderFields(order_type="help", title="", content="")
        )
    assert refused.value.details == ["请输入标题", "请输入诉求内容", "请输入来电号码", "请输入来电人姓名"]


def test_accept_twice_is_a_conflict_and_changes_nothing(c):
    order_id = submit(c)
    services.accept(order_id=order_id, user_id=c.dispatcher.id, now=MONDAY)
    events = OrderEvent.objects.count()
    with pytest.raises(HotlineStateError):
        services.accept(order_id=order_id, user_id=c.dispatcher.id)
    assert OrderEvent.objects.count() == events
    with pytest.raises(HotlineError):
        services.accept(order_id=submit(c, key="x"), user_id=c.jinjiang_handler.id)


def test_dispatch_sets_the_limit_and_tells_the_department(c):
    order_id = dispatched(c)
    o = order(order_id)
    assert o.state == State.DISPATCHED
    assert o.lead_department_id == c.jinjiang_market.pk
    # 7 working days from Monday 2 March: Wednesday 11 March, end of the day (Beijing).
    assert o.due_at == dt.datetime(2026, 3, 11, 15, 59, 59, tzinfo=dt.UTC)
    assert Message.objects.filter(recipient_id=c.jinjiang_handler.id).count() == 1
    decision = DispatchDecision.objects.get(order_id=order_id)
    assert (decision.category_overridden, decision.department_overridden) == (False, False)
    assert decision.suggested_department_id == c.jinjiang_market.pk


def test_dispatch_problems_are_listed_and_nothing_changes(c):
    order_id = submit(c)
    services.accept(order_id=order_id, user_id=c.dispatcher.id)
    with pytest.raises(HotlineError) as refused:
        services.dispatch(
            order_id=order_id,
            user_id=c.dispatcher.id,
            choice=services.DispatchChoice(category_id=None, lead_department_id=None),
        )
    assert refused.value.details == ["请选择诉求分类", "请选择承办单位"]
    assert order(order_id).state == State.ACCEPTED
    assert not DispatchDecision.objects.exists()


def test_an_override_of_the_routing_rule_is_recorded(c):
    order_id = submit(c)
    services.accept(order_id=order_id, user_id=c.dispatcher.id)
    services.dispatch(order_id=order_id, user_id=c.dispatcher.id, choice=_choice(c, department=c.city_urban))
    decision = DispatchDecision.objects.get(order_id=order_id)
    assert decision.department_overridden is True
    assert decision.suggested_department_id == c.jinjiang_market.pk
    assert decision.chosen_department_id == c.city_urban.pk


def test_sign_only_by_the_lead_department_once(c):
    order_id = dispatched(c)
    with pytest.raises(HotlineError):
        services.sign(order_id=order_id, user_id=c.qingshan_handler.id)
    assert order(order_id).state == State.DISPATCHED
    services.sign(order_id=order_id, user_id=c.jinjiang_handler.id)
    with pytest.raises(HotlineStateError):
        services.sign(order_id=order_id, user_id=c.jinjiang_handler.id)


def test_return_needs_a_reason_and_goes_back_to_the_dispatchers(c):
    order_id = dispatched(c)
    with pytest.raises(HotlineError):
        services.return_order(order_id=order_id, user_id=c.jinjiang_handler.id, reason=" ")
    assert order(order_id).state == State.DISPATCHED
    services.return_order(order_id=order_id, user_id=c.jinjiang_handler.id, reason="不属于本单位职责")
    o = order(order_id)
    assert (o.state, o.lead_department_id, o.return_count, o.due_at) == (State.RETURNED, None, 1, None)
    assert Message.objects.filter(recipient_id=c.dispatcher.id, title__contains="被退回").count() == 1
    with pytest.raises(HotlineError):  # no longer the department's order
        services.return_order(order_id=order_id, user_id=c.jinjiang_handler.id, reason="again")
    services.dispatch(
        order_id=order_id, user_id=c.dispatcher.id, choice=_choice(c, department=c.qingshan_market)
    )
    assert order(order_id).state == State.DISPATCHED


def test_redispatch_needs_a_reason(c):
    order_id = handling(c)
    with pytest.raises(HotlineError):
        services.redispatch(
            order_id=order_id, user_id=c.dispatcher.id, choice=_choice(c, department=c.qingshan_market)
        )
    services.redispatch(
        order_id=order_id,
        user_id=c.dispatcher.id,
        choice=_choice(c, department=c.qingshan_market, note="属青山区"),
    )
    o = order(order_id)
    assert (o.state, o.lead_department_id, o.signed_at) == (State.DISPATCHED, c.qingshan_market.pk, None)


def test_reply_review_send_back_close_follow_up(c):
    order_id = handling(c)
    with pytest.raises(HotlineError):
        services.reply(order_id=order_id, user_id=c.jinjiang_handler.id, text="")
    services.reply(order_id=order_id, user_id=c.jinjiang_handler.id, text="已处理")
    with pytest.raises(HotlineStateError):
        services.reply(order_id=order_id, user_id=c.jinjiang_handler.id, text="已处理")
    with pytest.raises(HotlineError):
        services.review(order_id=order_id, user_id=c.dispatcher.id, approve=False, note="")
    assert (
        services.review(order_id=order_id, user_id=c.dispatcher.id, approve=False, note="答复不完整")
        == State.HANDLING
    )
    services.reply(order_id=order_id, user_id=c.jinjiang_handler.id, text="已处理并退款")
    assert services.review(order_id=order_id, user_id=c.dispatcher.id, approve=True) == State.CLOSED
    assert Message.objects.filter(recipient_id=c.citizen.id, title__contains="已办结").count() == 1
    with pytest.raises(HotlineStateError):
        services.review(order_id=order_id, user_id=c.dispatcher.id, approve=True)
    services.follow_up(order_id=order_id, user_id=c.dispatcher.id, result="已电话回访，诉求人认可")
    with pytest.raises(HotlineStateError):
        services.follow_up(order_id=order_id, user_id=c.dispatcher.id, result="again")
    assert order(order_id).state == State.FOLLOWED_UP


def test_rating_only_by_the_requester_and_once(c):
    order_id = closed(c)
    with pytest.raises(HotlineError):
        services.rate(order_id=order_id, requester_id=c.other_citizen.id, satisfaction="satisfied")
    with pytest.raises(HotlineError):
        services.rate(order_id=order_id, requester_id=c.citizen.id, satisfaction="")
    assert order(order_id).satisfaction == ""
    services.rate(
        order_id=order_id, requester_id=c.citizen.id, satisfaction="basically", publish_consent=False
    )
    o = order(order_id)
    assert (o.state, o.satisfaction, o.publish_consent) == (State.RATED, "basically", False)
    with pytest.raises(HotlineStateError):
        services.rate(order_id=order_id, requester_id=c.citizen.id, satisfaction="satisfied")
    assert order(order_id).satisfaction == "basically"


def test_rating_before_closing_is_refused(c):
    order_id = handling(c)
    with pytest.raises(HotlineStateError):
        services.rate(order_id=order_id, requester_id=c.citizen.id, satisfaction="satisfied")


def test_the_dispatcher_records_a_rating_from_the_follow_up_call(c):
    order_id = closed(c)
    services.follow_up(order_id=order_id, user_id=c.dispatcher.id, result="回访", satisfaction="dissatisfied")
    o = order(order_id)
    assert (o.state, o.satisfaction) == (State.RATED, "dissatisfied")


def test_extension_one_pending_and_approval_moves_the_due_date(c):
    order_id = handling(c)
    with pytest.raises(HotlineError) as refused:
        services.request_extension(order_id=order_id, user_id=c.jinjiang_handler.id, days=0, reason="")
    assert refused.value.details == ["延期天数须为1至30个工作日", "请输入延期理由"]
    services.request_extension(
        order_id=order_id, user_id=c.jinjiang_handler.id, days=3, reason="需要现场检测"
    )
    with pytest.raises(HotlineStateError):
        services.request_extension(order_id=order_id, user_id=c.jinjiang_handler.id, days=3, reason="again")
    with pytest.raises(HotlineError):
        services.decide_extension(order_id=order_id, user_id=c.jinjiang_handler.id, approve=True)
    services.decide_extension(order_id=order_id, user_id=c.dispatcher.id, approve=True)
    # 11 March + 3 working days = Monday 16 March, end of the day.
    assert order(order_id).due_at == dt.datetime(2026, 3, 16, 15, 59, 59, tzinfo=dt.UTC)
    with pytest.raises(HotlineStateError):
        services.decide_extension(order_id=order_id, user_id=c.dispatcher.id, approve=True)


def test_a_refused_extension_needs_a_note_and_keeps_the_due_date(c):
    order_id = handling(c)
    due = order(order_id).due_at
    services.request_extension(order_id=order_id, user_id=c.jinjiang_handler.id, days=3, reason="需要检测")
    with pytest.raises(HotlineError):
        services.decide_extension(order_id=order_id, user_id=c.dispatcher.id, approve=False)
    services.decide_extension(
        order_id=order_id, user_id=c.dispatcher.id, approve=False, note="时限内可以办完"
    )
    assert order(order_id).due_at == due


def test_manual_supervision_notifies_the_department(c):
    order_id = handling(c)
    with pytest.raises(HotlineError):
        services.supervise(order_id=order_id, user_id=c.dispatcher.id, note="")
    services.supervise(order_id=order_id, user_id=c.dispatcher.id, note="请加快办理")
    assert order(order_id).supervised is True
    assert Message.objects.filter(recipient_id=c.jinjiang_handler.id, title__contains="督办").count() == 1


def test_every_transition_is_in_the_timeline_and_the_audit_log(c):
    order_id = closed(c)
    assert list(OrderEvent.objects.filter(order_id=order_id).values_list("action", flat=True)) == [
        "submitted",
        "accepted",
        "dispatched",
        "signed",
        "replied",
        "closed",
    ]
    assert AuditEvent.objects.filter(object_type="work_order", object_id=str(order_id)).count() == 6
