"""Writing opening rules: who may, for which items and windows, what a schedule must say, clashes."""

import datetime as dt

import pytest
from conftest import make_staff

from tongban.appointments import services
from tongban.appointments.errors import AppointmentRuleError
from tongban.appointments.models import AppointmentRule, AppointmentSlot
from tongban.appointments.tests.conftest import MONDAY, item_rule, schedule, window

T = dt.time


def nothing_written() -> bool:
    return not AppointmentRule.objects.exists() and not AppointmentSlot.objects.exists()


def test_a_department_admin_may_write_a_rule(item, department):
    admin = make_staff("market_admin", department, role="department_admin")
    saved = item_rule(item, admin)
    rule = AppointmentRule.objects.get(pk=saved.rule_id)
    assert (
        rule.item_name,
        rule.weekdays,
        rule.on_adjusted_workdays,
        rule.time_ranges,
        rule.slot_minutes,
    ) == (
        "个体工商户营业执照核发",
        "12345",
        True,
        [["09:00", "10:00"], ["14:00", "15:00"]],
        30,
    )
    assert (rule.starts_on, rule.ends_on, rule.is_active, rule.created_by_id) == (
        MONDAY,
        None,
        True,
        admin.id,
    )


def test_T_B3_staff_of_another_department_cannot_write_a_rule_for_the_item(item, other_department):
    outsider = make_staff("civil_clerk", other_department, role="clerk")
    with pytest.raises(AppointmentRuleError, match=r"^没有找到该事项$") as refused:
        item_rule(item, outsider)
    assert refused.value.field == "target"
    assert nothing_written()


def test_T_B3_a_catalog_editor_is_no_hall_staff(item, editor):
    with pytest.raises(AppointmentRuleError, match=r"^没有找到该事项$"):
        item_rule(item, editor)
    assert nothing_written()


def test_an_item_without_appointments_has_no_rule(department, hall, clerk, publish_item):
    walk_in = publish_item(department, hall_id=hall.pk)
    with pytest.raises(AppointmentRuleError, match=r"^没有找到该事项$"):
        item_rule(walk_in, clerk)
    assert nothing_written()


def test_T_B3_a_window_rule_only_for_a_window_staffed_for_the_department(
    item, hall, clerk, department, other_department
):
    civil_window = window(hall, "F05", other_department)
    with pytest.raises(AppointmentRuleError, match=r"^没有找到该窗口$"):
        services.create_rule(
            staff_id=clerk.id, window_id=civil_window, department_id=other_department.pk, schedule=schedule()
        )
    with pytest.raises(AppointmentRuleError, match=r"^没有找到该窗口$"):
        services.create_rule(
            staff_id=clerk.id, window_id=civil_window, department_id=department.pk, schedule=schedule()
        )
    assert nothing_written()


def test_a_rule_is_for_an_item_or_a_window(clerk):
    with pytest.raises(AppointmentRuleError, match=r"^请选择规则适用的事项或窗口$"):
        services.create_rule(staff_id=clerk.id, schedule=schedule())
    assert nothing_written()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"weekdays": frozenset(), "on_adjusted_workdays": False}, "weekdays", "请至少选择一个开放日"),
        ({"time_ranges": ()}, "time_ranges", "请至少填写一个开放时间段"),
        ({"time_ranges": ((T(10, 0), T(9, 0)),)}, "time_ranges", "开放时间段的结束时间须晚于开始时间"),
        (
            {"time_ranges": ((T(9, 0), T(9, 20)),)},
            "time_ranges",
            "每个开放时间段须至少排得下一个预约时段（30分钟）",
        ),
        ({"time_ranges": ((T(9, 0), T(11, 0)), (T(10, 0), T(12, 0)))}, "time_ranges", "开放时间段不能重叠"),
        ({"ends_on": MONDAY - dt.timedelta(days=1)}, "ends_on", "结束日期不能早于开始日期"),
        ({"slot_minutes": 7}, "slot_minutes", "请选择每个预约时段的分钟数"),
    ],
    ids=["no-days", "no-times", "backwards", "too-short", "overlap", "ends-before-start", "odd-length"],
)
def test_a_wrong_schedule_is_refused_with_the_field_at_fault(item, clerk, overrides, field, message):
    with pytest.raises(AppointmentRuleError, match=f"^{message}$") as refused:
        item_rule(item, clerk, **overrides)
    assert refused.value.field == field
    assert nothing_written()


def test_a_rule_that_clashes_with_one_in_force_is_refused(item, clerk):
    first = item_rule(item, clerk)
    slots = list(AppointmentSlot.objects.values_list("pk", "capacity"))
    with pytest.raises(
        AppointmentRuleError,
        match=r"^与已有的规则（个体工商户营业执照核发，2026年11月23日起）开放时间重叠，请修改时间，或先停用那条规则$",
    ):
        item_rule(item, clerk, time_ranges=((T(9, 30), T(10, 30)),), starts_on=MONDAY + dt.timedelta(weeks=1))
    assert list(AppointmentRule.objects.values_list("pk", flat=True)) == [first.rule_id]
    assert list(AppointmentSlot.objects.values_list("pk", "capacity")) == slots


def test_a_saturday_rule_next_to_a_weekday_rule_is_fine(item, clerk):
    item_rule(item, clerk)
    saturdays = item_rule(item, clerk, weekdays=frozenset({6}), on_adjusted_workdays=False)
    assert saturdays.published.created == 4  # Saturday the 28th; the 21st is before the rule starts
    assert list(AppointmentSlot.objects.filter(date__week_day=7).values_list("date", "capacity")) == [
        (dt.date(2026, 11, 28), 3),
        (dt.date(2026, 11, 28), 3),
        (dt.date(2026, 11, 28), 2),
        (dt.date(2026, 11, 28), 2),
    ]


def test_a_stopped_rule_does_not_clash_and_cannot_be_restarted_into_a_clash(item, clerk):
    first = item_rule(item, clerk)
    services.update_rule(staff_id=clerk.id, rule_id=first.rule_id, schedule=schedule(), is_active=False)
    second = item_rule(item, clerk)
    with pytest.raises(AppointmentRuleError, match="开放时间重叠"):
        services.update_rule(staff_id=clerk.id, rule_id=first.rule_id, schedule=schedule(), is_active=True)
    assert dict(AppointmentRule.objects.values_list("pk", "is_active")) == {
        first.rule_id: False,
        second.rule_id: True,
    }


def test_T_B3_another_departments_rule_cannot_be_changed(item, clerk, other_department):
    saved = item_rule(item, clerk)
    outsider = make_staff("civil_clerk", other_department, role="clerk")
    with pytest.raises(AppointmentRuleError, match=r"^没有找到该规则$"):
        services.update_rule(
            staff_id=outsider.id, rule_id=saved.rule_id, schedule=schedule(), is_active=False
        )
    assert AppointmentRule.objects.get().is_active is True
    assert AppointmentSlot.objects.count() == 40


def test_importing_the_same_hours_twice_writes_one_rule(item):
    assert services.import_rule(schedule=schedule(), item_id=item.item_id) is not None
    assert (
        services.import_rule(schedule=schedule(starts_on=MONDAY + dt.timedelta(days=1)), item_id=item.item_id)
        is None
    )
    assert AppointmentRule.objects.count() == 1
    assert AppointmentSlot.objects.count() == 0  # the job (publish_ahead) publishes
    assert services.publish_ahead().created == 40
