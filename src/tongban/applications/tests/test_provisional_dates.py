"""Promised finish dates counted over a year whose holidays are not published yet: shown as provisional
(暂按周末计算) and recomputed, with the open steps' due dates, when `seed_calendar` loads the year; a
joint-approval lane is never due after the case."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from conftest import PASSWORD, make_staff
from django.core.management import call_command
from django.urls import reverse

from tongban.accounts.services import ensure_user
from tongban.accounts.tests.helpers import login_staff
from tongban.applications import services
from tongban.applications.models import Application, ProcessBinding
from tongban.applications.subjects import subject_of
from tongban.applications.tests.factories import draft_with_materials
from tongban.core.calendar import seed_year
from tongban.organizations.tests.factories import DepartmentFactory
from tongban.workflow.selectors import open_tasks_of

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date.fromisoformat
PROVISIONAL = "（暂按周末计算）"


@pytest.fixture
def citizen(db):
    return ensure_user(username="citizen_a", full_name="张三", kind="citizen", password=PASSWORD)


def _submitted(citizen, item) -> int:
    application_id = draft_with_materials(
        applicant_id=citizen.id, item=item, answers={"address": "滨江路1号"}
    )
    services.submit_application(application_id=application_id, applicant_id=citizen.id)
    return application_id


def _promised(application_id: int) -> dt.date:
    return Application.objects.get(pk=application_id).promised_finish_date


def _due_dates(application_id: int) -> dict[str, dt.date | None]:
    return {t.name: t.due_date for t in open_tasks_of(subject_of(application_id))}


def _dd(page: str, label: str) -> str:
    """The text of the summary-list value after ``label`` (tags removed)."""
    start = page.index(f"<dt>{label}</dt><dd>") + len(f"<dt>{label}</dt><dd>")
    value = page[start : page.index("</dd>", start)]
    while "<" in value:
        value = value[: value.index("<")] + value[value.index(">") + 1 :]
    return value


@time_machine.travel(dt.datetime(2025, 12, 31, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_a_provisional_promised_date_is_recomputed_when_the_year_is_seeded(
    citizen, department, publish_item, client
):
    seed_year(2025)  # 2026 is not in the calendar yet: counted Monday to Friday
    item = publish_item(department, promised_limit=3)
    open_case = _submitted(citizen, item)
    declined_case = _submitted(citizen, item)
    clerk = make_staff("market_clerk", department, role="clerk")
    [intake] = open_tasks_of(subject_of(declined_case))
    services.handle_task(task_id=intake.id, staff_id=clerk.id, action="decline", opinion="不属于本部门")

    # Receipt Wed 12-31 is not counted; 1-01 Thu, 1-02 Fri, 1-05 Mon as plain weekdays.
    assert _promised(open_case) == D("2026-01-05")
    assert _due_dates(open_case) == {"受理": D("2026-01-01")}  # the item's 受理 step: 1 working day
    client.login(username="citizen_a", password=PASSWORD)
    for url in (
        reverse("applications:receipt", args=[open_case]),
        reverse("applications:detail", args=[open_case]),
    ):
        page = client.get(url).content.decode()
        assert _dd(page, "承诺办结日期") == "2026年1月5日" + PROVISIONAL
        assert "承诺办结日期跨入的年份尚未公布法定节假日安排，暂按周末计算" in page
    staff_client = client.__class__()
    login_staff(staff_client, clerk)
    staff_page = staff_client.get(reverse("applications:staff_case", args=[open_case])).content.decode()
    assert _dd(staff_page, "承诺办结日期") == "2026年1月5日" + PROVISIONAL

    out = io.StringIO()
    call_command("seed_calendar", "--year", "2026", stdout=out)

    assert out.getvalue() == "2026 年：写入 365 天。\n"
    # 1-01..1-03 元旦, Sun 1-04 调休上班: 1-04, 1-05, 1-06.
    assert _promised(open_case) == D("2026-01-06")
    assert _due_dates(open_case) == {"受理": D("2026-01-04")}
    # A case that is no longer open keeps the date it was given.
    assert _promised(declined_case) == D("2026-01-05")
    page = client.get(reverse("applications:detail", args=[open_case])).content.decode()
    assert _dd(page, "承诺办结日期") == "2026年1月6日"
    assert "暂按周末计算" not in page
    staff_page = staff_client.get(reverse("applications:staff_case", args=[open_case])).content.decode()
    assert _dd(staff_page, "承诺办结日期") == "2026年1月6日"


@time_machine.travel(dt.datetime(2025, 12, 31, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_seeding_a_year_again_moves_nothing(citizen, department, publish_item):
    seed_year(2025)
    seed_year(2026)
    application_id = _submitted(citizen, publish_item(department, promised_limit=3))
    Application.objects.filter(pk=application_id).update(promised_finish_date=D("2026-02-02"))

    call_command("seed_calendar", "--year", "2026", stdout=io.StringIO())

    assert _promised(application_id) == D("2026-02-02")  # no calendar change, no recomputation


@time_machine.travel(dt.datetime(2025, 12, 1, 9, 0, tzinfo=SHANGHAI), tick=False)
def test_a_date_within_published_years_is_not_provisional(citizen, department, publish_item, client):
    seed_year(2025)
    application_id = _submitted(citizen, publish_item(department, promised_limit=3))
    client.login(username="citizen_a", password=PASSWORD)
    page = client.get(reverse("applications:detail", args=[application_id])).content.decode()
    assert _dd(page, "承诺办结日期") == "2025年12月4日"
    assert "暂按周末计算" not in page


@time_machine.travel(dt.datetime(2025, 12, 1, 9, 0, tzinfo=SHANGHAI), tick=False)
def test_a_joint_approval_lane_is_never_due_after_the_case(citizen, department, publish_item):
    seed_year(2025)
    tax, social, police = (DepartmentFactory(name=n, short_name=n) for n in ("税务局", "人社局", "公安局"))
    item = publish_item(department, promised_limit=2)
    ProcessBinding.objects.create(
        item_id=item.item_id,
        definition_key="joint_startup",
        lane_departments={"税务": tax.pk, "社保": social.pk, "公章刻制": police.pk},
    )
    clerk = make_staff("hall_clerk", department, role="clerk")
    application_id = _submitted(citizen, item)
    assert _promised(application_id) == D("2025-12-03")
    [intake] = open_tasks_of(subject_of(application_id))
    services.handle_task(task_id=intake.id, staff_id=clerk.id, action="accept", opinion="")

    # Each lane's model limit is 3 working days (12-04): capped at the case's promised date.
    assert _due_dates(application_id) == {
        "市场监管登记": D("2025-12-03"),
        "税务登记": D("2025-12-03"),
        "社保登记": D("2025-12-03"),
        "公章刻制备案": D("2025-12-03"),
    }


@time_machine.travel(dt.datetime(2025, 12, 1, 9, 0, tzinfo=SHANGHAI), tick=False)
def test_a_lane_bound_by_the_case_moves_when_a_pause_moves_the_case(citizen, department, publish_item):
    from tongban.catalog.types import SpecialProcedureData

    seed_year(2025)
    tax = DepartmentFactory(name="税务局", short_name="税务局")
    item = publish_item(
        department,
        promised_limit=2,
        special_procedures=(SpecialProcedureData(kind="专家评审", limit=10, limit_unit="working_day"),),
    )
    ProcessBinding.objects.create(
        item_id=item.item_id,
        definition_key="joint_startup",
        lane_departments={"税务": tax.pk, "社保": tax.pk, "公章刻制": tax.pk},
    )
    clerk = make_staff("hall_clerk", department, role="clerk")
    make_staff("market_approver", department, role="approver")
    application_id = _submitted(citizen, item)
    [intake] = open_tasks_of(subject_of(application_id))
    services.handle_task(task_id=intake.id, staff_id=clerk.id, action="accept", opinion="")
    assert _due_dates(application_id)["税务登记"] == D("2025-12-03")
    approver = make_staff("tax_approver", tax, role="approver")
    services.start_special_procedure(
        application_id=application_id, staff_id=approver.id, kind="专家评审", reason="需专家论证"
    )

    with time_machine.travel(dt.datetime(2025, 12, 5, 9, 0, tzinfo=SHANGHAI), tick=False):
        new_date = services.end_special_procedure(
            application_id=application_id, staff_id=approver.id, outcome="通过"
        )

    # Paused 12-02..12-05 (4 working days): the case is due 12-09, and each lane its own 3 days, 12-04.
    assert new_date == D("2025-12-09")
    assert set(_due_dates(application_id).values()) == {D("2025-12-04")}
