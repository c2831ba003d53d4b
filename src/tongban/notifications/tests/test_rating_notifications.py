"""差评整改: the rated department's handlers hear of a new one, and the rater of its closure."""

import pytest
from conftest import PASSWORD, make_staff
from django.urls import reverse
from django.utils import timezone

from tongban.accounts.services import ensure_user
from tongban.core.calendar import seed_year
from tongban.notifications.selectors import inbox
from tongban.ratings.services import close_rectification, record_follow_up, reply_to_rectification
from tongban.ratings.tests.factories import finished_application, open_rectification


@pytest.fixture(autouse=True)
def _scan_with_clamd(clamd):
    """The application's materials go through the real clamd."""


@pytest.fixture
def citizen(db):
    return ensure_user(username="citizen_a", full_name="张三", kind="citizen", password=PASSWORD)


@pytest.fixture
def clerk(department):
    return make_staff("market_clerk", department, role="clerk")


@pytest.fixture
def finished(citizen, clerk, department, publish_item):
    seed_year(2026)
    return finished_application(applicant_id=citizen.id, item=publish_item(department), clerk_id=clerk.id)


def test_a_bad_rating_reaches_the_handlers_of_the_rated_department(
    citizen, clerk, finished, department, other_department, django_capture_on_commit_callbacks
):
    approver = make_staff("market_approver", department, role="approver")
    editor = make_staff("market_editor", department, role="catalog_editor")
    outsider = make_staff("civil_clerk", other_department, role="clerk")
    with django_capture_on_commit_callbacks(execute=True):
        rectification_id = open_rectification(applicant_id=citizen.id, application_id=finished)
    for handler in (clerk, approver):
        [message] = inbox(handler.id)
        assert message.title.startswith("差评整改：YZ")
        assert "收到差评，请于" in message.body
        assert message.link == reverse("ratings:staff_detail", args=[rectification_id])
    assert list(inbox(editor.id)) == list(inbox(outsider.id)) == []


def test_the_rater_is_told_when_the_rectification_is_closed(
    citizen, clerk, finished, django_capture_on_commit_callbacks
):
    rectification_id = open_rectification(applicant_id=citizen.id, application_id=finished)
    reply_to_rectification(rectification_id=rectification_id, staff_id=clerk.id, text="已整改")
    record_follow_up(
        rectification_id=rectification_id,
        staff_id=clerk.id,
        result="satisfied",
        contacted_on=timezone.localdate(),
    )
    assert list(inbox(citizen.id)) == []
    with django_capture_on_commit_callbacks(execute=True):
        close_rectification(rectification_id=rectification_id, staff_id=clerk.id)
    [message] = inbox(citizen.id)
    assert message.title == "您的评价已整改办结"
    assert message.link == reverse("applications:detail", args=[finished])
