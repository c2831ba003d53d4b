import datetime
from decimal import Decimal

import pytest
import time_machine

from tongban.briefings.errors import BriefingError, BriefingNotFound
from tongban.briefings.models import ScoringLevel
from tongban.briefings.selectors import MONTH, QUARTER, YEAR, Period, parse_period, ranking
from tongban.briefings.services import scoring, submissions
from tongban.briefings.tests.helpers import adopt_into_new_issue, submit


def test_ranking_orders_units_by_points_of_the_period_with_points_kept_from_when_recorded(
    reporter, market, teacher_reporter, education, editor, publication
):
    province = ScoringLevel.objects.get(code="province")
    city = ScoringLevel.objects.get(code="city")
    with time_machine.travel("2026-11-10 10:00 +0800", tick=False):
        a = submit(reporter, market, publication, title="一")
        adopt_into_new_issue(editor, a, publication)  # 2.0 (city, November)
        b = submit(teacher_reporter, education, publication, title="二")
        adopt_into_new_issue(editor, b, publication)  # 2.0
        submit(teacher_reporter, education, publication, title="三")  # submitted only
    with time_machine.travel("2026-12-01 10:00 +0800", tick=False):
        # The rule changes: later 采用 count 3.0, the November ones keep 2.0.
        scoring.update_level(user_id=editor.id, level_id=city.pk, points="3", is_active=True)
        submissions.record_adoption(
            user_id=editor.id, submission_id=a, level_id=province.pk, evidence="省刊第1期"
        )
        c = submit(teacher_reporter, education, publication, title="四")
        adopt_into_new_issue(editor, c, publication)  # 3.0, December

    november = ranking(Period(MONTH, 2026, 11))
    assert [(r.rank, r.department_name, r.submitted, r.adopted, r.points) for r in november] == [
        (1, "云州市教育局", 2, 1, Decimal("2.0")),
        (1, "云州市市场监督管理局", 1, 1, Decimal("2.0")),
    ]
    quarter = ranking(Period(QUARTER, 2026, 4))
    assert [(r.rank, r.department_name, r.submitted, r.adopted, r.points) for r in quarter] == [
        (1, "云州市市场监督管理局", 1, 1, Decimal("7.0")),
        (2, "云州市教育局", 3, 2, Decimal("5.0")),
    ]
    assert ranking(Period(YEAR, 2027, 1)) == []


def test_periods_parse_and_bound():
    today = datetime.date(2026, 12, 7)
    assert parse_period("quarter", "2026", "2", today=today) == Period(QUARTER, 2026, 2)
    assert parse_period("quarter", "2026", "5", today=today) == Period(MONTH, 2026, 12)
    assert parse_period("year", "x", "1", today=today) == Period(MONTH, 2026, 12)
    assert Period(QUARTER, 2026, 2).label == "2026年第2季度"
    assert (Period(QUARTER, 2026, 1).first_day, Period(QUARTER, 2026, 1).last_day) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 3, 31),
    )


def test_only_editors_change_points_and_bad_points_are_refused(reporter, editor):
    city = ScoringLevel.objects.get(code="city")
    with pytest.raises(BriefingNotFound):
        scoring.update_level(user_id=reporter.id, level_id=city.pk, points="9", is_active=True)
    with pytest.raises(BriefingError, match="分值最多保留一位小数"):
        scoring.update_level(user_id=editor.id, level_id=city.pk, points="1.25", is_active=True)
    with pytest.raises(BriefingError, match="本刊采用级别不能停用"):
        scoring.update_level(user_id=editor.id, level_id=city.pk, points="2", is_active=False)
    city.refresh_from_db()
    assert (city.points, city.is_active) == (Decimal("2.0"), True)
    level_id = scoring.create_level(user_id=editor.id, name="被中办采用", points="20")
    assert ScoringLevel.objects.get(pk=level_id).points == Decimal("20.0")


def test_the_default_levels_match_the_seed_migration_and_come_back_after_a_flush():
    import importlib

    seeded = importlib.import_module(
        "tongban.briefings.migrations.0002_seed_briefing_roles_and_levels"
    ).LEVELS
    assert seeded == scoring.DEFAULT_LEVELS
    ScoringLevel.objects.all().delete()
    scoring.ensure_default_levels()
    scoring.ensure_default_levels()
    assert list(ScoringLevel.objects.values_list("code", "points", "is_issue_level")) == [
        ("city", Decimal("2.0"), True),
        ("city_leader", Decimal("3.0"), False),
        ("province", Decimal("5.0"), False),
        ("province_leader", Decimal("8.0"), False),
        ("national", Decimal("10.0"), False),
    ]
