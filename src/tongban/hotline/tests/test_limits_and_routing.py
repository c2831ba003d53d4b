"""办理期限 from the time-limit table (natural hours; working days across a holiday) and the routing
rule chosen for a category and region."""

import datetime as dt

import pytest

from tongban.core.calendar import set_calendar_day
from tongban.hotline import rules, services
from tongban.hotline.errors import HotlineError
from tongban.hotline.models import RoutingRule, TimeLimit
from tongban.hotline.tests.helpers import MONDAY, dispatched, order

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def test_the_seeded_table_has_the_standard_defaults(c):
    assert TimeLimit.objects.count() == 24
    assert services.limit_for("complaint", "urgent") == (2, "hours")
    assert services.limit_for("help", "utility") == (24, "hours")
    assert services.limit_for("consult", "general") == (7, "working_days")
    assert services.limit_for("report", "complex") == (15, "working_days")


def test_an_hours_limit_counts_natural_hours_over_a_weekend():
    friday_evening = dt.datetime(2026, 3, 6, 23, 0, tzinfo=SHANGHAI)
    assert rules.due_at(friday_evening, amount=24, unit="hours") == dt.datetime(
        2026, 3, 7, 23, 0, tzinfo=SHANGHAI
    )


def test_a_working_days_limit_skips_a_holiday(db):
    set_calendar_day(dt.date(2026, 3, 9), is_working_day=False, name="测试假日")
    wednesday = dt.datetime(2026, 3, 4, 10, 0, tzinfo=SHANGHAI)
    # 7 working days from Wed 4 March: 5, 6, (9 holiday), 10, 11, 12, 13, 16.
    assert rules.due_at(wednesday, amount=7, unit="working_days") == dt.datetime(
        2026, 3, 16, 23, 59, 59, tzinfo=SHANGHAI
    )


def test_an_urgent_order_is_due_in_two_hours_from_dispatch(c):
    order_id = dispatched(c, now=MONDAY)
    services.redispatch(
        order_id=order_id,
        user_id=c.dispatcher.id,
        choice=services.DispatchChoice(
            category_id=c.category("market").pk,
            lead_department_id=c.jinjiang_market.pk,
            urgency="urgent",
            note="紧急",
        ),
        now=MONDAY,
    )
    assert order(order_id).due_at == MONDAY + dt.timedelta(hours=2)


def test_an_edited_limit_is_used_for_the_next_dispatch(c):
    services.set_time_limit(
        user_id=c.dispatcher.id, order_type="complaint", urgency="general", amount=3, unit="working_days"
    )
    order_id = dispatched(c, now=MONDAY)
    assert order(order_id).due_at == dt.datetime(2026, 3, 5, 23, 59, 59, tzinfo=SHANGHAI)


def test_editing_limits_is_refused_to_others_and_checked(c):
    with pytest.raises(HotlineError):
        services.set_time_limit(
            user_id=c.jinjiang_handler.id, order_type="complaint", urgency="general", amount=3, unit="hours"
        )
    with pytest.raises(HotlineError) as refused:
        services.set_time_limit(
            user_id=c.dispatcher.id, order_type="complaint", urgency="general", amount=0, unit="x"
        )
    assert refused.value.details == ["请选择时限单位", "时限须为1至720"]
    assert services.limit_for("complaint", "general") == (7, "working_days")


def test_the_rule_of_the_order_region_wins_over_the_city_wide_one(c):
    market = c.category("market")
    RoutingRule.objects.create(category=market, region=None, lead_department=c.city_urban)
    assert (
        services.route(category_id=market.pk, region_id=c.jinjiang.pk).lead_department_id
        == c.jinjiang_market.pk
    )
    assert (
        services.route(category_id=market.pk, region_id=c.qingshan.pk).lead_department_id
        == c.qingshan_market.pk
    )
    # A town inherits its district's rule.
    assert (
        services.route(category_id=market.pk, region_id=c.donghu.pk).lead_department_id
        == c.jinjiang_market.pk
    )
    # Without a region, the city-wide rule.
    assert services.route(category_id=market.pk, region_id=None).lead_department_id == c.city_urban.pk


def test_priority_beats_specificity_and_inactive_rules_are_ignored(c):
    market = c.category("market")
    rule = RoutingRule.objects.create(category=market, region=None, lead_department=c.city_urban, priority=5)
    assert (
        services.route(category_id=market.pk, region_id=c.jinjiang.pk).lead_department_id == c.city_urban.pk
    )
    rule.is_active = False
    rule.save()
    assert (
        services.route(category_id=market.pk, region_id=c.jinjiang.pk).lead_department_id
        == c.jinjiang_market.pk
    )
    assert services.route(category_id=c.category("education").pk, region_id=c.jinjiang.pk) is None


def test_a_saved_rule_and_a_city_category(c):
    code = services.add_category(user_id=c.dispatcher.id, code="tourism", name="文化旅游")
    rule_id = services.save_routing_rule(
        user_id=c.dispatcher.id,
        rule_id=None,
        category_id=code,
        region_id=None,
        lead_department_id=c.city_urban.pk,
        assisting_department_ids=[c.jinjiang_market.pk],
    )
    assert services.route(category_id=code, region_id=c.qingshan.pk).pk == rule_id
    with pytest.raises(HotlineError) as refused:
        services.save_routing_rule(
            user_id=c.dispatcher.id,
            rule_id=None,
            category_id=code,
            region_id=None,
            lead_department_id=c.city_urban.pk,
            assisting_department_ids=[c.city_urban.pk],
        )
    assert refused.value.details == ["承办单位不能同时是协办单位"]
    with pytest.raises(HotlineError):
        services.add_category(user_id=c.dispatcher.id, code="tourism", name="重复")
