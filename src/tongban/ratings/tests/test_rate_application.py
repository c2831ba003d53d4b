"""好差评 on a finished application: five levels, one per channel, bad ratings open a rectification."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from conftest import PASSWORD

from tongban.accounts.services import ensure_user
from tongban.applications import services as applications
from tongban.applications.tests.factories import draft_with_materials
from tongban.ratings.errors import AlreadyRatedError, RatingError
from tongban.ratings.models import Rating, Rectification
from tongban.ratings.services import RatingAnswers, rate_application

GOOD = RatingAnswers(level=5, efficiency=5, guide_accuracy=4, convenience=5, platform_usability=4)
BAD = RatingAnswers(
    level=1, efficiency=2, guide_accuracy=3, convenience=1, platform_usability=2, comment="窗口推诿"
)


@pytest.fixture
def application(citizen, item):
    """Submitted, not finished."""
    application_id = draft_with_materials(applicant_id=citizen.id, item=item)
    applications.submit_application(application_id=application_id, applicant_id=citizen.id)
    return application_id


def test_good_rating_is_recorded_without_rectification(citizen, finished):
    rating_id = rate_application(application_id=finished, rater_id=citizen.id, answers=GOOD)
    rating = Rating.objects.get(pk=rating_id)
    assert (rating.level, rating.get_level_display(), rating.channel) == (5, "非常满意", "online")
    assert Rectification.objects.count() == 0


@time_machine.travel(dt.datetime(2026, 9, 30, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_bad_rating_opens_a_rectification_due_in_15_working_days(citizen, finished, department):
    rating_id = rate_application(application_id=finished, rater_id=citizen.id, answers=BAD)
    rectification = Rectification.objects.get(rating_id=rating_id)
    assert rectification.department_id == department.pk
    # 2026-09-30 not counted; 10-01..10-07 holiday; from 10-08, with 10-10 (Sat) a 调休 day, the 15th is 10-27.
    assert rectification.due_date == dt.date(2026, 10, 27)
    assert rectification.status == "open"


def test_bad_rating_needs_a_reason(citizen, finished):
    with pytest.raises(RatingError, match="请写明原因"):
        rate_application(
            application_id=finished, rater_id=citizen.id, answers=RatingAnswers(1, 1, 1, 1, 1, comment=" ")
        )
    assert Rating.objects.count() == 0


def test_one_rating_per_application_and_channel(citizen, finished):
    rate_application(application_id=finished, rater_id=citizen.id, answers=GOOD)
    with pytest.raises(AlreadyRatedError):
        rate_application(application_id=finished, rater_id=citizen.id, answers=BAD)
    rate_application(application_id=finished, rater_id=citizen.id, answers=GOOD, channel="window")
    assert Rating.objects.count() == 2
    assert Rectification.objects.count() == 0


def test_unfinished_application_cannot_be_rated(citizen, application):
    with pytest.raises(RatingError, match="办结后才能评价"):
        rate_application(application_id=application, rater_id=citizen.id, answers=GOOD)
    assert Rating.objects.count() == 0


def test_levels_outside_the_five_are_refused(citizen, finished):
    with pytest.raises(RatingError, match="请为每一项选择评价等级"):
        rate_application(application_id=finished, rater_id=citizen.id, answers=RatingAnswers(6, 5, 5, 5, 5))
    assert Rating.objects.count() == 0


def test_T_B1_nobody_else_can_rate_my_application(finished, db):
    other = ensure_user(username="citizen_b", full_name="李四", kind="citizen", password="x-Unused-Pass-1")
    with pytest.raises(RatingError, match="没有找到该办件"):
        rate_application(application_id=finished, rater_id=other.id, answers=BAD)
    assert Rating.objects.count() == 0


def test_rating_page_records_a_rating(client, citizen, finished):
    client.login(username="citizen_a", password=PASSWORD)
    url = f"/applications/{finished}/rate/"
    assert "非常满意" in client.get(url).content.decode()
    answers = {"level": 2, "efficiency": 2, "guide_accuracy": 3, "convenience": 2, "platform_usability": 3}
    response = client.post(url, answers)
    assert response.status_code == 400
    assert "选择不满意或非常不满意时，请写明原因" in response.content.decode()
    response = client.post(url, answers | {"comment": "等了很久"})
    assert response.status_code == 302
    assert Rating.objects.get().comment == "等了很久"
    assert Rectification.objects.count() == 1


def test_rating_page_without_answers_asks_for_each(client, citizen, finished):
    client.login(username="citizen_a", password=PASSWORD)
    body = client.post(f"/applications/{finished}/rate/", {}).content.decode()
    assert "请选择总体评价" in body
    assert Rating.objects.count() == 0
