import pytest
from conftest import PASSWORD, make_staff
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from tongban.accounts.access import STAFF_OTP_VERIFIED
from tongban.accounts.services import ensure_user
from tongban.applications.subjects import subject_of
from tongban.applications.tests.factories import submitted_applications
from tongban.workflow.selectors import open_tasks_of


def staff_request(user, path: str = "/staff/", **query: str):
    """A GET request of ``user`` with the second factor passed, as the staff login leaves it."""
    request = RequestFactory().get(path, query)
    request.user = get_user_model().objects.get(pk=user.id)
    session = SessionStore()
    session[STAFF_OTP_VERIFIED] = user.id
    request.session = session
    return request


@pytest.fixture
def clerk(department):
    return make_staff("market_clerk", department, role="clerk")


@pytest.fixture
def submit(department, publish_item):
    """submit(n) → n applications for one item of ``department``, each waiting for 受理."""
    citizen = ensure_user(username="13800000009", full_name="张三", kind="citizen", password=PASSWORD)
    item = publish_item(department)

    def _submit(n: int = 1) -> list[int]:
        return submitted_applications(applicant_id=citizen.id, item=item, count=n)

    return _submit


def accept_task(application_id: int):
    [task] = open_tasks_of(subject_of(application_id))
    return task
