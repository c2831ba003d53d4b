"""Hall staff's pages: 预约规则 (list, new, edit), 预约时段 with booked counts, 停止预约; scoped to the
viewer's departments (T-B3); bad input shows the error summary on the same page."""

import datetime as dt

import pytest
from conftest import PASSWORD, make_staff
from django.test import Client
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff, summary_errors
from tongban.appointments import services
from tongban.appointments.models import Appointment, AppointmentClosure, AppointmentRule, AppointmentSlot
from tongban.appointments.tests.conftest import MONDAY, item_rule, window

T = dt.time
STAFF_PAGES = [
    ("appointments:staff_rules", []),
    ("appointments:staff_rule_create", []),
    ("appointments:staff_slots", []),
    ("appointments:staff_closures", []),
]


@pytest.fixture
def clerk_client(client, clerk):
    login_staff(client, clerk)
    return client


def rule_post(**overrides) -> dict:
    data = {
        "weekdays": ["1", "2", "3", "4", "5"],
        "on_adjusted_workdays": "on",
        "start_1": "09:00",
        "end_1": "10:00",
        "start_2": "14:00",
        "end_2": "15:00",
        "start_3": "",
        "end_3": "",
        "slot_minutes": "30",
        "starts_on_0": "2026",
        "starts_on_1": "11",
        "starts_on_2": "23",
        "ends_on_0": "",
        "ends_on_1": "",
        "ends_on_2": "",
    }
    return data | overrides


def test_clerk_writes_an_item_rule_and_its_slots_are_published(clerk_client, item):
    page = clerk_client.get(reverse("appointments:staff_rule_create")).content.decode()
    assert (
        f'<option value="item:{item.item_id}">个体工商户营业执照核发（云州市锦江区政务服务中心）</option>'
        in page
    )
    response = clerk_client.post(
        reverse("appointments:staff_rule_create"), rule_post(target=f"item:{item.item_id}")
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("appointments:staff_rules")
    assert AppointmentSlot.objects.count() == 40
    body = clerk_client.get(response["Location"]).content.decode()
    assert "规则已保存：新发布 40 个预约时段，调整 0 个，撤下 0 个。" in body
    assert '<th scope="row">个体工商户营业执照核发</th>' in body
    assert "周一至周五、调休上班日" in body
    assert "09:00–10:00、14:00–15:00" in body


def test_clerk_writes_a_window_rule(clerk_client, item, hall, department):
    window_id = window(hall, "B01", department)
    page = clerk_client.get(reverse("appointments:staff_rule_create")).content.decode()
    option = f"window:{window_id}:{department.pk}"
    assert f'<option value="{option}">云州市锦江区政务服务中心 B01号窗口 综合受理窗口（' in page
    response = clerk_client.post(reverse("appointments:staff_rule_create"), rule_post(target=option))
    assert response.status_code == 302
    rule = AppointmentRule.objects.get()
    assert (rule.window_id, rule.item_id, rule.window_label) == (
        window_id,
        None,
        "云州市锦江区政务服务中心 B01号窗口 综合受理窗口",
    )
    assert AppointmentSlot.objects.count() == 40


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"target": ""}, ["请选择规则适用的事项或窗口"]),
        ({"weekdays": [], "on_adjusted_workdays": ""}, ["请至少选择一个开放日"]),
        ({"start_1": "9点", "end_2": ""}, ["开始时间须为24小时制时间，如 09:00", "请填写结束时间"]),
        ({"start_1": "", "end_1": "", "start_2": "", "end_2": ""}, ["请至少填写一个开放时间段"]),
        ({"start_2": "09:30"}, ["开放时间段不能重叠"]),
        ({"slot_minutes": ""}, ["请选择每个预约时段的长度"]),
        ({"starts_on_1": "13"}, ["开始日期须为真实的日期，如 2026年11月23日"]),
        ({"starts_on_0": "", "starts_on_1": "", "starts_on_2": ""}, ["请填写开始日期"]),
        (
            {"ends_on_0": "2026", "ends_on_1": "11", "ends_on_2": "22"},
            ["结束日期不能早于开始日期"],
        ),
    ],
    ids=[
        "no-target",
        "no-days",
        "bad-times",
        "no-times",
        "overlap",
        "no-length",
        "bad-date",
        "no-date",
        "ends-early",
    ],
)
def test_bad_rule_input_shows_the_errors_and_keeps_the_answers(clerk_client, item, overrides, errors):
    data = rule_post(target=f"item:{item.item_id}") | overrides
    response = clerk_client.post(reverse("appointments:staff_rule_create"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>错误：新建预约规则" in body
    assert summary_errors(response) == errors
    assert f'<span class="visually-hidden">错误：</span>{errors[0]}' in body
    assert 'name="start_1" id="id_start_1" value="' + data["start_1"] + '"' in body
    assert not AppointmentRule.objects.exists()
    assert not AppointmentSlot.objects.exists()


def test_the_weekday_error_links_to_the_first_box(clerk_client, item):
    response = clerk_client.post(
        reverse("appointments:staff_rule_create"),
        rule_post(target=f"item:{item.item_id}", weekdays=[], on_adjusted_workdays=""),
    )
    body = response.content.decode()
    assert '<li><a href="#id_weekdays_0">请至少选择一个开放日</a></li>' in body
    assert 'id="id_weekdays_0"' in body


def test_clerk_stops_a_rule_from_its_edit_page(clerk_client, clerk, item):
    saved = item_rule(item, clerk)
    url = reverse("appointments:staff_rule_edit", args=[saved.rule_id])
    page = clerk_client.get(url).content.decode()
    assert 'name="start_1" id="id_start_1" value="09:00"' in page
    assert 'name="starts_on_0" value="2026"' in page
    response = clerk_client.post(url, rule_post())  # is_active unticked
    assert response.status_code == 302
    assert AppointmentRule.objects.get().is_active is False
    assert AppointmentSlot.objects.count() == 0
    body = clerk_client.get(reverse("appointments:staff_rules")).content.decode()
    assert "撤下 40 个" in body
    assert '<span class="tag">已停用</span>' in body


def test_T_B3_another_departments_rule_is_a_404(client, clerk, item, other_department):
    saved = item_rule(item, clerk)
    login_staff(client, make_staff("civil_clerk", other_department, role="clerk"))
    url = reverse("appointments:staff_rule_edit", args=[saved.rule_id])
    assert client.get(url).status_code == 404
    assert client.post(url, rule_post()).status_code == 404
    assert AppointmentRule.objects.get().is_active is True
    assert "个体工商户营业执照核发" not in client.get(reverse("appointments:staff_rules")).content.decode()


@pytest.mark.parametrize(("name", "args"), STAFF_PAGES)
def test_T_B3_staff_without_a_handling_role_get_a_404(client, editor, item, name, args):
    login_staff(client, editor)
    assert client.get(reverse(name, args=args)).status_code == 404


@pytest.mark.parametrize(("name", "args"), STAFF_PAGES)
def test_T_B4_citizens_get_a_404_and_visitors_the_staff_login(client, zhang, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:staff_login"))
    client.login(username=zhang.username, password=PASSWORD)
    assert client.get(reverse(name, args=args)).status_code == 404


def test_the_slots_page_shows_each_days_places_and_bookings(clerk_client, clerk, item, hall, zhang):
    item_rule(item, clerk)
    nine = AppointmentSlot.objects.get(date=MONDAY, start_time=T(9, 0))
    services.book(slot_id=nine.pk, applicant_id=zhang.id)
    url = f"{reverse('appointments:staff_slots')}?hall={hall.pk}&start=2026-11-23"
    body = clerk_client.get(url).content.decode()
    assert "云州市锦江区政务服务中心：2026年11月23日至2026年11月29日" in body
    monday_row = body[body.index("11月23日 星期一") : body.index("11月24日 星期二")]
    assert "个体工商户营业执照核发</a></td>" in monday_row
    assert '<td data-label="时段数">4</td>' in monday_row
    assert '<td data-label="名额">10</td>' in monday_row
    assert '<td data-label="已预约">1</td>' in monday_row

    one_item = clerk_client.get(f"{url}&item={item.item_id}").content.decode()
    assert "<caption>个体工商户营业执照核发</caption>" in one_item
    assert '<td data-label="时段">09:00–09:30</td>' in one_item
    nine_row = one_item[one_item.index("09:00–09:30") : one_item.index("09:30–10:00")]
    assert '<td data-label="已预约">1</td>' in nine_row
    assert '<td data-label="剩余">2</td>' in nine_row


def test_the_slots_page_is_scoped_to_the_departments(
    client, clerk, item, hall, other_department, publish_item
):
    item_rule(item, clerk)
    civil_item = publish_item(
        other_department,
        name="内地居民结婚登记",
        hall_id=hall.pk,
        supports_appointment=True,
        appointment_daily_quota=2,
    )
    civil_clerk = make_staff("civil_clerk", other_department, role="clerk")
    item_rule(civil_item, civil_clerk)
    login_staff(client, civil_clerk)
    body = client.get(
        f"{reverse('appointments:staff_slots')}?hall={hall.pk}&start=2026-11-23"
    ).content.decode()
    assert "内地居民结婚登记</a></td>" in body
    assert "个体工商户营业执照核发" not in body
    other_item = client.get(
        f"{reverse('appointments:staff_slots')}?hall={hall.pk}&item={item.item_id}"
    ).content
    assert "个体工商户营业执照核发".encode() not in other_item


def test_clerk_closes_a_day_and_the_applicant_sees_why(clerk_client, clerk, item, zhang, client):
    item_rule(item, clerk)
    booked = services.book(
        slot_id=AppointmentSlot.objects.get(date=MONDAY, start_time=T(9, 0)).pk, applicant_id=zhang.id
    )
    page = clerk_client.get(reverse("appointments:staff_closures")).content.decode()
    assert f'<option value="item:{item.item_id}">' in page
    response = clerk_client.post(
        reverse("appointments:staff_closures"),
        {
            "scope": f"item:{item.item_id}",
            "date_0": "2026",
            "date_1": "11",
            "date_2": "23",
            "reason": "大厅电力检修",
        },
    )
    assert response.status_code == 302
    body = clerk_client.get(response["Location"]).content.decode()
    assert "已停止预约，取消了 1 个预约并通知了申请人。" in body
    assert '<th scope="row">2026年11月23日 星期一</th>' in body
    assert Appointment.objects.get().cancel_reason == "大厅电力检修"

    applicant = Client()
    applicant.login(username=zhang.username, password=PASSWORD)
    detail = applicant.get(reverse("appointments:detail", args=[booked.id])).content.decode()
    assert "<dt>取消原因</dt><dd>大厅停止预约：大厅电力检修</dd>" in detail
    assert '<span class="tag">已取消</span>' in detail


@pytest.mark.parametrize(
    ("data", "status", "errors"),
    [
        ({"reason": ""}, 200, ["请填写停止预约的原因"]),
        ({"date_0": "2026", "date_1": "11", "date_2": "19"}, 400, ["只能停止今天及以后的预约"]),
        ({"date_2": "31"}, 200, ["日期须为真实的日期，如 2026年11月23日"]),
        ({"scope": "item:999999"}, 200, ["请选择停止预约的事项"]),
    ],
    ids=["no-reason", "past", "bad-date", "unknown-item"],
)
def test_bad_closure_input_shows_the_errors(clerk_client, clerk, item, data, status, errors):
    item_rule(item, clerk)
    post = {
        "scope": f"item:{item.item_id}",
        "date_0": "2026",
        "date_1": "11",
        "date_2": "23",
        "reason": "检修",
    }
    response = clerk_client.post(reverse("appointments:staff_closures"), post | data)
    assert response.status_code == status
    assert "<title>错误：停止预约" in response.content.decode()
    assert summary_errors(response) == errors
    assert not AppointmentClosure.objects.exists()
    assert AppointmentSlot.objects.filter(capacity=0).count() == 0


def test_clerk_reopens_a_closed_day(clerk_client, clerk, item):
    item_rule(item, clerk)
    closed = services.close_day(staff_id=clerk.id, item_id=item.item_id, date=MONDAY, reason="检修")
    assert AppointmentSlot.objects.filter(date=MONDAY).count() == 0
    response = clerk_client.post(reverse("appointments:staff_closure_reopen", args=[closed.closure_id]))
    assert response.status_code == 302
    assert "已恢复预约，发布了 4 个预约时段。" in clerk_client.get(response["Location"]).content.decode()
    assert AppointmentSlot.objects.filter(date=MONDAY).count() == 4


def test_T_B3_another_departments_closure_cannot_be_reopened(client, clerk, item, other_department):
    item_rule(item, clerk)
    closed = services.close_day(staff_id=clerk.id, item_id=item.item_id, date=MONDAY, reason="检修")
    login_staff(client, make_staff("civil_clerk", other_department, role="clerk"))
    response = client.post(reverse("appointments:staff_closure_reopen", args=[closed.closure_id]))
    assert response.status_code == 404
    assert AppointmentClosure.objects.count() == 1


def test_the_slots_page_names_the_closed_days_of_the_week(clerk_client, clerk, item, hall):
    item_rule(item, clerk)
    services.close_day(staff_id=clerk.id, item_id=item.item_id, date=MONDAY, reason="检修")
    url = f"{reverse('appointments:staff_slots')}?hall={hall.pk}&start=2026-11-23"
    for page in (url, f"{url}&item={item.item_id}"):
        body = clerk_client.get(page).content.decode()
        assert "<li>2026年11月23日 停止预约：个体工商户营业执照核发（检修）</li>" in body
    assert "停止预约：" not in clerk_client.get(url.replace("2026-11-23", "2026-11-30")).content.decode()
