"""The pages over HTTP: the portal form (errors, idempotency), 我的诉求 and 评价, the board, the staff
queues (pinned queries), the order page and its actions (409 on a repeat), isolation (404 + audit),
settings pages and the statistics CSV."""

import pytest
from django.test import Client
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff, summary_errors
from tongban.core.models import AuditEvent
from tongban.hotline.models import State, WorkOrder
from tongban.hotline.tests.helpers import PASSWORD, closed, dispatched, handling, order, submit

pytestmark = pytest.mark.django_db


def _citizen(c) -> Client:
    client = Client()
    assert client.login(username=c.citizen.username, password=PASSWORD)
    return client


def _staff(user) -> Client:
    client = Client()
    login_staff(client, user)
    return client


FORM = {
    "order_type": "complaint",
    "title": "超市卖过期牛奶",
    "content": "东湖路35号超市卖过期牛奶",
    "region": "",
    "address": "东湖路35号",
    "publish_consent": "on",
}


def test_the_form_shows_its_errors(c):
    response = _citizen(c).post(reverse("hotline:new"), {"idempotency_key": "k"})
    assert response.status_code == 400
    assert summary_errors(response) == ["请选择诉求类型", "请输入标题", "请输入诉求内容"]
    assert WorkOrder.objects.count() == 0


def test_a_submission_posted_twice_is_one_order(c):
    client = _citizen(c)
    first = client.post(reverse("hotline:new"), FORM | {"idempotency_key": "same"})
    second = client.post(reverse("hotline:new"), FORM | {"idempotency_key": "same"})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert WorkOrder.objects.count() == 1
    page = client.get(first["Location"])
    assert "待受理" in page.content.decode()


def test_the_form_needs_a_login(c):
    assert Client().get(reverse("hotline:new")).status_code == 302


def test_the_department_mailbox_form(c):
    client = _citizen(c)
    page = client.get(reverse("hotline:mailbox"))
    assert "市长信箱" in page.content.decode()
    response = client.post(
        reverse("hotline:mailbox"), FORM | {"idempotency_key": "m", "mailbox": str(c.qingshan_market.pk)}
    )
    assert response.status_code == 302
    assert WorkOrder.objects.get().lead_department_id == c.qingshan_market.pk


def test_the_requester_rates_on_their_page_and_others_get_404(c):
    order_id = closed(c)
    client = _citizen(c)
    page = client.get(reverse("hotline:my_order", args=[order_id]))
    assert "已责令下架" in page.content.decode()
    response = client.post(reverse("hotline:rate", args=[order_id]), {})
    assert response.status_code == 400
    assert "请选择满意度" in response.content.decode()
    response = client.post(
        reverse("hotline:rate", args=[order_id]), {"satisfaction": "satisfied", "publish_consent": "on"}
    )
    assert response.status_code == 302
    assert order(order_id).satisfaction == "satisfied"
    assert (
        client.post(reverse("hotline:rate", args=[order_id]), {"satisfaction": "dissatisfied"}).status_code
        == 409
    )
    other = Client()
    other.login(username=c.other_citizen.username, password=PASSWORD)
    assert other.get(reverse("hotline:my_order", args=[order_id])).status_code == 404
    assert (
        AuditEvent.objects.filter(event="hotline.my_order", object_id=str(order_id), result="denied").count()
        == 1
    )


def test_the_board_page_masks_and_costs_fixed_queries(c, django_assert_num_queries):
    for i in range(3):
        closed(c, key=f"k{i}", text="我的电话是13800000011，超市卖过期牛奶")
    with django_assert_num_queries(3):  # categories, count, page
        response = Client().get(reverse("hotline:board"))
    body = response.content.decode()
    assert "13800000011" not in body
    assert "138****0011" in body
    assert body.count("board-entry") == 3


def test_the_dispatcher_queue_costs_fixed_queries(c, django_assert_num_queries):
    for i in range(3):
        submit(c, key=f"s{i}")
    client = _staff(c.dispatcher)
    client.get(reverse("hotline:queue"))
    with django_assert_num_queries(11):
        response = client.get(reverse("hotline:queue"))
    assert response.content.decode().count("12345-2026") == 3
    for i in range(3, 8):
        submit(c, key=f"s{i}")
    with django_assert_num_queries(11):
        response = client.get(reverse("hotline:queue"))


def test_the_department_queue_costs_fixed_queries(c, django_assert_num_queries):
    dispatched(c, key="a")
    client = _staff(c.jinjiang_handler)
    client.get(reverse("hotline:department"))
    with django_assert_num_queries(12):
        response = client.get(reverse("hotline:department"))
    assert response.content.decode().count("12345-2026") == 1
    dispatched(c, key="b")
    dispatched(c, key="c")
    with django_assert_num_queries(12):
        client.get(reverse("hotline:department"))


def test_another_department_gets_404_and_an_audit_row(c):
    order_id = dispatched(c)
    client = _staff(c.qingshan_handler)
    assert client.get(reverse("hotline:order", args=[order_id])).status_code == 404
    assert client.post(reverse("hotline:act", args=[order_id, "sign"])).status_code == 404
    assert order(order_id).state == State.DISPATCHED
    assert (
        AuditEvent.objects.filter(object_type="work_order", object_id=str(order_id), result="denied").count()
        == 2
    )
    assert _staff(c.dispatcher).get(reverse("hotline:department")).status_code == 404


def test_citizens_do_not_reach_staff_pages(c):
    assert _citizen(c).get(reverse("hotline:queue")).status_code == 404


def test_the_order_page_shows_the_timeline_and_a_repeat_is_409(c):
    order_id = dispatched(c)
    client = _staff(c.jinjiang_handler)
    page = client.get(reverse("hotline:order", args=[order_id])).content.decode()
    assert "办理记录" in page
    assert "派单" in page
    assert "退单理由" in page
    assert client.post(reverse("hotline:act", args=[order_id, "sign"])).status_code == 302
    response = client.post(reverse("hotline:act", args=[order_id, "sign"]))
    assert response.status_code == 409
    assert "不能进行此操作" in response.content.decode()


def test_an_action_error_is_shown_on_the_order_page(c):
    order_id = handling(c)
    response = _staff(c.jinjiang_handler).post(
        reverse("hotline:act", args=[order_id, "reply"]), {"reply": ""}
    )
    assert response.status_code == 400
    assert "请输入答复意见" in response.content.decode()
    assert order(order_id).state == State.HANDLING


def test_a_confidential_callers_name_is_hidden_from_the_department(c):
    from tongban.hotline import services

    fields = services.OrderFields(
        order_type="help",
        title="停水",
        content="停水了",
        name="王先生",
        phone="13911112222",
        confidential=True,
    )
    order_id = services.enter_call(agent_id=c.agent.id, fields=fields)
    services.accept(order_id=order_id, user_id=c.dispatcher.id)
    services.dispatch(
        order_id=order_id,
        user_id=c.dispatcher.id,
        choice=services.DispatchChoice(
            category_id=c.category("utilities").pk, lead_department_id=c.city_urban.pk
        ),
    )
    page = _staff(c.urban_handler).get(reverse("hotline:order", args=[order_id])).content.decode()
    assert "王先生" not in page
    assert "13911112222" not in page
    assert "王先生" in _staff(c.dispatcher).get(reverse("hotline:order", args=[order_id])).content.decode()


def test_the_agent_enters_a_call(c):
    client = _staff(c.agent)
    response = client.post(
        reverse("hotline:call"),
        {
            "caller_name": "",
            "caller_phone": "",
            "order_type": "help",
            "urgency": "general",
            "title": "",
            "content": "",
        },
    )
    assert response.status_code == 400
    assert summary_errors(response)[:2] == ["请输入来电人姓名", "请输入来电号码"]
    response = client.post(
        reverse("hotline:call"),
        {
            "caller_name": "王先生",
            "caller_phone": "13911112222",
            "order_type": "help",
            "urgency": "general",
            "title": "停水",
            "content": "小区停水",
        },
    )
    assert response.status_code == 302
    assert WorkOrder.objects.get().channel == "phone"


def test_settings_pages_and_statistics_csv(c):
    closed(c)
    client = _staff(c.dispatcher)
    assert client.get(reverse("hotline:rules")).status_code == 200
    assert client.get(reverse("hotline:limits")).status_code == 200
    response = client.post(
        reverse("hotline:limits"),
        {"order_type": "complaint", "urgency": "general", "amount": "0", "unit": "hours"},
    )
    assert response.status_code == 400
    assert "时限须为1至720" in response.content.decode()
    response = client.get(
        reverse("hotline:statistics"), {"from": "2026-03-01", "to": "2026-03-31", "format": "csv"}
    )
    text = response.content.decode("utf-8-sig")
    assert "云州市锦江区市场监督管理局,1,1,100.0%,1,1,100.0%,0,0,—" in text
    assert _staff(c.jinjiang_handler).get(reverse("hotline:rules")).status_code == 404


def test_every_12345_form_shows_its_errors_with_the_summary(c):
    from tests.forms.test_every_form_shows_its_errors import assert_error_shown

    citizen = _citizen(c)
    assert_error_shown(citizen.post(reverse("hotline:new"), {"idempotency_key": "k"}), "请选择诉求类型")
    assert_error_shown(citizen.post(reverse("hotline:mailbox"), {"idempotency_key": "k"}), "请选择信箱")
    rated = closed(c, key="r")
    assert_error_shown(citizen.post(reverse("hotline:rate", args=[rated]), {}), "满意度")
    assert_error_shown(_staff(c.agent).post(reverse("hotline:call"), {}), "来电人姓名")
    dispatcher = _staff(c.dispatcher)
    assert_error_shown(dispatcher.post(reverse("hotline:rules"), {"form": "rule"}), "诉求分类")
    assert_error_shown(dispatcher.post(reverse("hotline:rules"), {"form": "category"}), "分类代码")
    assert_error_shown(dispatcher.post(reverse("hotline:limits"), {}), "时限")
    accepted = submit(c, key="a")
    dispatcher.post(reverse("hotline:act", args=[accepted, "accept"]))
    assert_error_shown(dispatcher.post(reverse("hotline:act", args=[accepted, "dispatch"]), {}), "承办单位")
    assert_error_shown(
        dispatcher.post(reverse("hotline:act", args=[accepted, "merge"]), {"master": "x"}), "主工单"
    )
    handled = handling(c, key="h")
    handler = _staff(c.jinjiang_handler)
    assert_error_shown(handler.post(reverse("hotline:act", args=[handled, "reply"]), {}), "答复意见")
    assert_error_shown(handler.post(reverse("hotline:act", args=[handled, "extend"]), {}), "延期")
    assert_error_shown(dispatcher.post(reverse("hotline:act", args=[handled, "supervise"]), {}), "督办意见")
    assert_error_shown(handler.post(reverse("hotline:act", args=[handled, "sign"])), "不能进行此操作")
    returned = dispatched(c, key="d")
    assert_error_shown(handler.post(reverse("hotline:act", args=[returned, "return"]), {}), "退单理由")
