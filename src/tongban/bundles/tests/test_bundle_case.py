"""A citizen's 一件事: 情形 questions, combined answers, a shared material uploaded once, one atomic
and idempotent submission of the linked applications, and nobody else's case."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from conftest import make_staff
from django.contrib.auth import get_user_model

from tongban.accounts.services import ensure_user
from tongban.accounts.tests.helpers import login_staff
from tongban.applications import services as application_services
from tongban.applications.models import Application
from tongban.applications.tests.factories import pdf_bytes
from tongban.bundles import combine, selectors, services
from tongban.bundles.errors import BundleNotFound
from tongban.bundles.models import BundleCase
from tongban.bundles.tests.factories import restaurant_bundle
from tongban.core.calendar import seed_year

ANSWERS = {
    "name": "张三",
    "phone": "13800138000",
    "address": "滨江路1号",
    "address_2": "滨江路1号一楼",
    "seats": 40,
}


@pytest.fixture(autouse=True)
def _scan_with_clamd(clamd):
    """Every upload here goes through the real clamd."""


@pytest.fixture(autouse=True)
def _in_2025():
    """A day of a year whose holidays the calendar knows."""
    with time_machine.travel(dt.datetime(2025, 6, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


@pytest.fixture
def restaurant(department, other_department, publish_item):
    seed_year(2025)
    return restaurant_bundle(department, other_department, publish_item)


@pytest.fixture
def citizen(db):
    return ensure_user(username="citizen_a", full_name="张三", kind="citizen", password="x-Unused-Pass-1")


@pytest.fixture
def other_citizen(db):
    return ensure_user(username="citizen_b", full_name="李四", kind="citizen", password="x-Unused-Pass-1")


def start(citizen, restaurant, *, sign: bool) -> int:
    return services.start_bundle_case(
        applicant_id=citizen.id,
        applicant_name=citizen.full_name,
        bundle_code=restaurant.code,
        situation={restaurant.question_id: sign},
    )


def filled_case(citizen, restaurant, *, sign: bool) -> int:
    case_id = start(citizen, restaurant, sign=sign)
    services.save_bundle_answers(
        case_id=case_id, applicant_id=citizen.id, answers={**ANSWERS, "sign_text": "张记"}
    )
    case = selectors.own_case(case_id, citizen.id)
    for material in combine.shared_materials(selectors.case_items(case)):
        services.attach_bundle_material(
            case_id=case_id,
            applicant_id=citizen.id,
            material_key=material.key,
            name="a.pdf",
            data=pdf_bytes(),
        )
    return case_id


def linked(case_id: int) -> list[Application]:
    ids = BundleCase.objects.get(pk=case_id).links.values_list("application_id", flat=True)
    return list(Application.objects.filter(pk__in=list(ids)).order_by("pk"))


def test_the_questions_decide_which_items_apply(citizen, restaurant):
    case_id = start(citizen, restaurant, sign=False)
    assert [a.item_id for a in linked(case_id)] == [restaurant.license.item_id, restaurant.food.item_id]
    # Answering again while a draft relinks.
    assert start(citizen, restaurant, sign=True) == case_id
    assert [a.item_id for a in linked(case_id)] == [
        restaurant.license.item_id,
        restaurant.food.item_id,
        restaurant.sign.item_id,
    ]


def test_an_unanswered_question_is_refused(citizen, restaurant):
    with pytest.raises(Exception, match="请回答每一个问题"):
        services.start_bundle_case(
            applicant_id=citizen.id, applicant_name="张三", bundle_code=restaurant.code, situation={}
        )
    assert not BundleCase.objects.exists()


def test_combined_answers_reach_each_application_in_its_own_keys(citizen, restaurant):
    case_id = start(citizen, restaurant, sign=True)
    services.save_bundle_answers(
        case_id=case_id, applicant_id=citizen.id, answers={**ANSWERS, "sign_text": "张记"}
    )
    license_app, food_app, sign_app = linked(case_id)
    assert license_app.form_data == {"name": "张三", "phone": "13800138000", "address": "滨江路1号"}
    assert food_app.form_data == {
        "name": "张三",
        "phone": "13800138000",
        "address": "滨江路1号一楼",
        "seats": 40,
    }
    assert sign_app.form_data == {"name": "张三", "phone": "13800138000", "sign_text": "张记"}


def test_a_shared_material_uploaded_once_is_on_both_applications(citizen, restaurant):
    case_id = start(citizen, restaurant, sign=False)
    count = services.attach_bundle_material(
        case_id=case_id,
        applicant_id=citizen.id,
        material_key="经营者身份证件",
        name="身份证.pdf",
        data=pdf_bytes(),
    )
    assert count == 2
    license_app, food_app = linked(case_id)
    names = [list(a.materials.values_list("display_name", flat=True)) for a in (license_app, food_app)]
    assert names == [["身份证.pdf"], ["身份证.pdf"]]


def test_submission_creates_every_linked_application_under_one_number(
    citizen, restaurant, department, other_department
):
    case_id = filled_case(citizen, restaurant, sign=True)
    number = services.submit_bundle_case(case_id=case_id, applicant_id=citizen.id)
    applications = linked(case_id)
    assert number.startswith("YZYJ")
    assert len(applications) == 3
    assert all(a.status == "submitted" and a.number for a in applications)
    assert [a.department_id for a in applications] == [department.pk, department.pk, other_department.pk]


def test_a_failure_in_the_second_application_submits_none(citizen, restaurant, monkeypatch):
    case_id = filled_case(citizen, restaurant, sign=True)
    real = application_services.submit_application
    calls = []

    def second_fails(**kwargs):
        calls.append(kwargs["application_id"])
        if len(calls) == 2:
            raise RuntimeError("the second application's process failed to start")
        return real(**kwargs)

    monkeypatch.setattr(application_services, "submit_application", second_fails)
    with pytest.raises(RuntimeError):
        services.submit_bundle_case(case_id=case_id, applicant_id=citizen.id)
    assert len(calls) == 2
    assert [(a.status, a.number) for a in linked(case_id)] == [("draft", None)] * 3
    case = BundleCase.objects.get(pk=case_id)
    assert (case.status, case.number) == ("draft", None)
    assert not Application.objects.exclude(status="draft").exists()


def test_a_retried_submission_duplicates_nothing(citizen, restaurant):
    case_id = filled_case(citizen, restaurant, sign=False)
    first = services.submit_bundle_case(case_id=case_id, applicant_id=citizen.id)
    numbers = [a.number for a in linked(case_id)]
    again = services.submit_bundle_case(case_id=case_id, applicant_id=citizen.id)
    assert again == first
    assert [a.number for a in linked(case_id)] == numbers
    assert Application.objects.count() == 2
    assert BundleCase.objects.count() == 1


def test_a_missing_material_refuses_the_whole_submission(citizen, restaurant):
    case_id = start(citizen, restaurant, sign=False)
    services.save_bundle_answers(case_id=case_id, applicant_id=citizen.id, answers=ANSWERS)
    with pytest.raises(Exception, match="请上传"):
        services.submit_bundle_case(case_id=case_id, applicant_id=citizen.id)
    assert [a.status for a in linked(case_id)] == ["draft", "draft"]


def test_T_B1_citizen_a_cannot_see_or_change_bs_bundle(client, citizen, other_citizen, restaurant):
    case_id = start(citizen, restaurant, sign=False)
    client.force_login(get_user_model().objects.get(pk=other_citizen.id))
    for name in ("track", "form", "materials"):
        assert client.get(f"/my/bundles/{case_id}/{'' if name == 'track' else name + '/'}").status_code == 404
    assert client.post(f"/my/bundles/{case_id}/submit/").status_code == 404
    with pytest.raises(BundleNotFound):
        services.submit_bundle_case(case_id=case_id, applicant_id=other_citizen.id)
    assert BundleCase.objects.get(pk=case_id).status == "draft"


def test_the_tracking_page_lists_the_linked_applications(client, citizen, restaurant):
    case_id = filled_case(citizen, restaurant, sign=True)
    number = services.submit_bundle_case(case_id=case_id, applicant_id=citizen.id)
    client.force_login(get_user_model().objects.get(pk=citizen.id))
    page = client.get(f"/my/bundles/{case_id}/").content.decode()
    assert number in page
    for application in linked(case_id):
        assert application.number in page
    assert "户外广告设施设置审批" in page


def test_a_linked_case_page_shows_its_bundle_and_siblings(client, citizen, restaurant, department):
    case_id = filled_case(citizen, restaurant, sign=True)
    number = services.submit_bundle_case(case_id=case_id, applicant_id=citizen.id)
    clerk = make_staff("market_clerk_b", department, role="clerk")
    login_staff(client, clerk)
    license_app, food_app, sign_app = linked(case_id)
    page = client.get(f"/staff/applications/{license_app.pk}/").content.decode()
    assert number in page
    assert food_app.number in page
    assert sign_app.number in page
    assert client.get(f"/staff/bundles/cases/{number}/").status_code == 200
    # 待办 shows the bundle number on the row of each linked case.
    assert f"一件事 {number}" in client.get("/staff/tasks/").content.decode()


def test_T_B3_staff_of_no_linked_department_get_404_on_the_bundle_case(client, citizen, restaurant, db):
    from tongban.organizations.tests.factories import DepartmentFactory

    case_id = filled_case(citizen, restaurant, sign=False)
    number = services.submit_bundle_case(case_id=case_id, applicant_id=citizen.id)
    login_staff(
        client,
        make_staff("tax_clerk", DepartmentFactory(name="某区税务局", short_name="某税务"), role="clerk"),
    )
    assert client.get(f"/staff/bundles/cases/{number}/").status_code == 404
