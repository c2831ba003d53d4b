"""Publishing within 20 working days of the change (政府信息公开条例 Art. 26): due dates across a
holiday, the board's due-soon and overdue items, late publishing, and the 月通报 counts."""

import datetime as dt

import pytest
import time_machine

from tongban.core.calendar import set_calendar_day
from tongban.core.counting import count_one
from tongban.disclosure import selectors, services
from tongban.disclosure.models import DisclosureItem
from tongban.disclosure.report import render_monthly_report
from tongban.disclosure.tests.helpers import city, draft, published, submit

pytestmark = pytest.mark.django_db


def _national_day():
    for day in range(1, 8):
        set_calendar_day(dt.date(2026, 10, day), is_working_day=False, name="国庆节")


def test_the_due_date_skips_weekends_and_the_national_day_holiday():
    _national_day()
    # Monday 28 September: 29, 30 Sep; 8, 9 Oct; then 16 working days to 2 November.
    assert selectors.due_date(dt.date(2026, 9, 28)) == dt.date(2026, 11, 2)
    assert selectors.due_date(dt.date(2026, 3, 2)) == dt.date(2026, 3, 30)


def test_overdue_and_due_soon_cutoffs_agree_with_the_due_date():
    _national_day()
    today = dt.date(2026, 11, 3)
    cutoff = selectors.overdue_cutoff(today)
    assert selectors.due_date(cutoff) < today
    assert selectors.due_date(cutoff + dt.timedelta(days=1)) >= today
    assert cutoff == dt.date(2026, 9, 28)


def _set_changed(item_id: int, changed_on: dt.date) -> None:
    DisclosureItem.objects.filter(pk=item_id).update(changed_on=changed_on)


def test_the_board_lists_overdue_due_soon_and_late_items():
    c = city()
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, tzinfo=dt.UTC), tick=False):
        overdue = draft(c, title="逾期未公开的信息")
        soon = draft(c, title="即将到期的信息")
        fresh = draft(c, title="刚形成的信息")
        late = published(c, title="逾期发布的信息")
        on_time = published(c, title="按时发布的信息")
        _set_changed(overdue, dt.date(2026, 2, 2))  # due 2 March
        _set_changed(soon, dt.date(2026, 3, 9))  # due 6 April: within 5 working days of 1 April
        _set_changed(fresh, dt.date(2026, 3, 31))
        _set_changed(late, dt.date(2026, 2, 2))
        _set_changed(on_time, dt.date(2026, 3, 20))
        board = selectors.timeliness_board(c.editor.id, today=dt.date(2026, 4, 1))
    assert [r.title for r in board.overdue] == ["逾期未公开的信息"]
    assert [r.title for r in board.due_soon] == ["即将到期的信息"]
    assert [r.title for r in board.published_late] == ["逾期发布的信息"]
    assert fresh  # neither due soon nor overdue


def test_the_general_office_admin_sees_every_department_and_others_only_theirs():
    c = city()
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, tzinfo=dt.UTC), tick=False):
        item_id = draft(c, title="市场监管局的逾期信息")
        _set_changed(item_id, dt.date(2026, 2, 2))
        assert [
            r.title for r in selectors.timeliness_board(c.admin.id, today=dt.date(2026, 4, 1)).overdue
        ] == ["市场监管局的逾期信息"]
        assert selectors.timeliness_board(c.outsider.id, today=dt.date(2026, 4, 1)).overdue == []
        assert count_one(selectors.attention_rows(c.editor.id, 100)) == 1
        assert count_one(selectors.attention_rows(c.outsider.id, 100)) == 0


def test_the_monthly_report_counts_published_on_time_late_overdue_and_categories():
    c = city()
    with time_machine.travel(dt.datetime(2026, 4, 10, 9, tzinfo=dt.UTC), tick=False):
        late = published(c, title="逾期发布")
        on_time = published(c, category="budget", policy_kind="", title="部门预算")
        waiting = draft(c, title="逾期未发布")
        _set_changed(late, dt.date(2026, 2, 2))
        _set_changed(on_time, dt.date(2026, 4, 1))
        _set_changed(waiting, dt.date(2026, 3, 2))
        services.save_quarterly_review(
            user_id=c.admin.id, department_id=c.market.pk, year=2026, quarter=2, text="发布及时性有待提高。"
        )
        report = selectors.monthly_report(c.admin.id, year=2026, month=4, today=dt.date(2026, 4, 10))
    row = next(r for r in report.rows if r.department_id == c.market.pk)
    assert (row.published, row.on_time, row.late, row.overdue_unpublished) == (2, 1, 1, 1)
    assert row.by_category["政策文件"] == 1
    assert row.by_category["财政预决算"] == 1
    assert row.review == "发布及时性有待提高。"
    assert report.totals.published == 2
    assert render_monthly_report(report).startswith(b"%PDF")


def test_only_the_disclosure_admin_writes_quarterly_reviews():
    c = city()
    from tongban.disclosure.errors import DisclosureNotFound

    with pytest.raises(DisclosureNotFound):
        services.save_quarterly_review(
            user_id=c.approver.id, department_id=c.market.pk, year=2026, quarter=1, text="x"
        )


def test_submitting_does_not_change_the_deadline():
    c = city()
    item_id = draft(c)
    before = DisclosureItem.objects.get(pk=item_id).changed_on
    submit(c, item_id)
    assert DisclosureItem.objects.get(pk=item_id).changed_on == before
