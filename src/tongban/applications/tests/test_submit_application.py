"""Starting, answering and submitting an application; correction (补正) and resubmission."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from conftest import make_staff

from tongban.accounts.services import ensure_user
from tongban.applications import selectors, services
from tongban.applications.errors import ApplicationError, ApplicationStateError, CorrectionIncomplete
from tongban.applications.models import Application, ApplicationEvent, CorrectionRequest
from tongban.applications.tests.factories import inbox_application_ids, pdf_bytes
from tongban.catalog.selectors import version_snapshot
from tongban.core.calendar import seed_year

SHANGHAI = ZoneInfo("Asia/Shanghai")
ANSWERS = {"full_name": "张三", "phone": "13800138000", "address": "云州市锦江区滨江路1号"}


@pytest.fixture(autouse=True)
def _scan_with_clamd(clamd):
    """Every upload here goes through the real clamd."""


@pytest.fixture
def item(department, publish_item):
    seed_year(2025)
    return publish_item(department, promised_limit=3)


@pytest.fixture
def citizen(db):
    return ensure_user(username="citizen_a", full_name="张三", kind="citizen", password="x-Unused-Pass-1")


@pytest.fixture
def other_citizen(db):
    return ensure_user(username="citizen_b", full_name="李四", kind="citizen", password="x-Unused-Pass-1")


@pytest.fixture
def clerk(department):
    return make_staff("market_clerk", department, role="clerk")


def draft_for(citizen, item, answers=ANSWERS, *, with_materials=True):
    application_id = services.start_application(
        applicant_id=citizen.id,
        applicant_name=citizen.full_name,
        implementation_code=item.implementation_code,
    )
    services.save_answers(application_id=application_id, applicant_id=citizen.id, answers=answers)
    if with_materials:
        for material in version_snapshot(item.version_id).materials:
            services.attach_material(
                application_id=application_id,
                applicant_id=citizen.id,
                requirement_id=material.id,
                name=f"{material.name}.pdf",
                data=pdf_bytes(),
            )
    return application_id


def test_submit_without_a_required_material_is_refused(citizen, item):
    application_id = draft_for(citizen, item, with_materials=False)
    with pytest.raises(ApplicationError, match="请上传个体工商户登记（备案）申请书"):
        services.submit_application(application_id=application_id, applicant_id=citizen.id)
    application = Application.objects.get(pk=application_id)
    assert (application.status, application.number) == ("draft", None)


@time_machine.travel(dt.datetime(2025, 9, 30, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_submit_before_national_day_gets_number_and_promised_date_after_the_holiday(citizen, item):
    application_id = draft_for(citizen, item)
    receipt = services.submit_application(application_id=application_id, applicant_id=citizen.id)
    # 9-30 (receipt day) not counted; 10-01..10-08 holiday; 10-09, 10-10, then 10-11 is a 调休 Saturday.
    assert receipt.promised_finish_date == dt.date(2025, 10, 11)
    assert receipt.number == f"YZ20250930{application_id:08d}"
    application = Application.objects.get(pk=application_id)
    assert (application.status, application.form_data) == ("submitted", ANSWERS)
    assert list(application.events.values_list("from_status", "to_status")) == [("draft", "submitted")]


def test_T_L2_double_submit_returns_the_same_receipt_and_writes_nothing_more(citizen, item):
    application_id = draft_for(citizen, item)
    first = services.submit_application(application_id=application_id, applicant_id=citizen.id)
    second = services.submit_application(application_id=application_id, applicant_id=citizen.id)
    assert first == second
    assert Application.objects.count() == 1
    assert ApplicationEvent.objects.count() == 1


def test_starting_twice_resumes_the_draft(citizen, item):
    first = draft_for(citizen, item)
    again = services.start_application(
        applicant_id=citizen.id, applicant_name="张三", implementation_code=item.implementation_code
    )
    assert again == first
    assert Application.objects.get(pk=first).form_data == ANSWERS


def test_item_that_is_not_online_cannot_be_applied_for(citizen, department, publish_item):
    offline = publish_item(department, online_depth=2, accepts_online=False, accepts_by_post=True)
    with pytest.raises(ApplicationError, match="暂不支持网上申请"):
        services.start_application(
            applicant_id=citizen.id, applicant_name="张三", implementation_code=offline.implementation_code
        )
    assert Application.objects.count() == 0


def test_T_B1_another_citizen_cannot_submit_or_edit_my_draft(citizen, other_citizen, item):
    application_id = draft_for(citizen, item)
    with pytest.raises(ApplicationError, match="没有找到该办件"):
        services.submit_application(application_id=application_id, applicant_id=other_citizen.id)
    with pytest.raises(ApplicationError, match="没有找到该办件"):
        services.save_answers(application_id=application_id, applicant_id=other_citizen.id, answers={})
    assert selectors.get_application_for_applicant(other_citizen.id, application_id) is None
    assert list(selectors.applications_of(other_citizen.id)) == []
    assert Application.objects.get(pk=application_id).status == "draft"


def test_T_H4_submitted_application_cannot_be_changed(citizen, item):
    application_id = draft_for(citizen, item)
    services.submit_application(application_id=application_id, applicant_id=citizen.id)
    with pytest.raises(ApplicationStateError):
        services.save_answers(
            application_id=application_id, applicant_id=citizen.id, answers={"full_name": "王五"}
        )
    assert Application.objects.get(pk=application_id).form_data == ANSWERS


def test_correction_round_trip_keeps_the_number_and_records_the_pause(citizen, item, clerk):
    application_id = draft_for(citizen, item)
    receipt = services.submit_application(application_id=application_id, applicant_id=citizen.id)
    assert inbox_application_ids(clerk.id) == [application_id]

    services.request_correction(
        application_id=application_id,
        staff_id=clerk.id,
        reason="地址不完整，请补充门牌号",
        fields=["address"],
        material_ids=[],
    )
    application = Application.objects.get(pk=application_id)
    assert application.status == "correction_requested"
    assert inbox_application_ids(clerk.id) == [application_id]  # the task waits for the applicant

    services.save_correction_answers(
        application_id=application_id,
        applicant_id=citizen.id,
        answers={"address": "云州市锦江区滨江路1号3栋201室"},
    )
    again = services.resubmit_correction(application_id=application_id, applicant_id=citizen.id)
    assert again.number == receipt.number
    assert Application.objects.get(pk=application_id).form_data == ANSWERS | {
        "address": "云州市锦江区滨江路1号3栋201室"
    }
    correction = CorrectionRequest.objects.get()
    assert correction.resolved_at is not None
    assert correction.resolved_at >= correction.requested_at
    assert list(Application.objects.get(pk=application_id).events.values_list("to_status", flat=True)) == [
        "submitted",
        "correction_requested",
        "submitted",
    ]


def test_T_H4_during_correction_only_the_listed_fields_may_change(citizen, item, clerk):
    application_id = draft_for(citizen, item)
    services.submit_application(application_id=application_id, applicant_id=citizen.id)
    services.request_correction(
        application_id=application_id,
        staff_id=clerk.id,
        reason="地址不完整",
        fields=["address"],
        material_ids=[],
    )
    with pytest.raises(ApplicationError, match="只能修改补正告知中列出的内容"):
        services.save_correction_answers(
            application_id=application_id,
            applicant_id=citizen.id,
            answers={"address": "滨江路2号", "full_name": "王五"},
        )
    application = Application.objects.get(pk=application_id)
    assert (application.status, application.form_data) == ("correction_requested", ANSWERS)
    assert CorrectionRequest.objects.get().confirmed_fields == []


def test_resubmission_is_refused_until_every_listed_item_is_done(citizen, item, clerk):
    application_id = draft_for(citizen, item)
    services.submit_application(application_id=application_id, applicant_id=citizen.id)
    [material] = version_snapshot(item.version_id).materials
    services.request_correction(
        application_id=application_id,
        staff_id=clerk.id,
        reason="地址不完整，申请书未签字",
        fields=["address"],
        material_ids=[material.id],
    )
    with pytest.raises(CorrectionIncomplete) as refused:
        services.resubmit_correction(application_id=application_id, applicant_id=citizen.id)
    assert (refused.value.fields, refused.value.material_ids) == (["address"], [material.id])

    services.attach_material(
        application_id=application_id,
        applicant_id=citizen.id,
        requirement_id=material.id,
        name="申请书（已签字）.pdf",
        data=pdf_bytes(),
    )
    with pytest.raises(CorrectionIncomplete) as refused:
        services.resubmit_correction(application_id=application_id, applicant_id=citizen.id)
    assert (refused.value.fields, refused.value.material_ids) == (["address"], [])
    application = Application.objects.get(pk=application_id)
    assert application.status == "correction_requested"
    assert CorrectionRequest.objects.get().resolved_at is None

    # Looked at and saved unchanged: the applicant confirms the answer is right after all.
    services.save_correction_answers(
        application_id=application_id, applicant_id=citizen.id, answers={"address": ANSWERS["address"]}
    )
    services.resubmit_correction(application_id=application_id, applicant_id=citizen.id)
    correction = CorrectionRequest.objects.get()
    assert (correction.confirmed_fields, correction.replaced_material_ids) == (["address"], [material.id])
    assert correction.resolved_at is not None
    assert Application.objects.get(pk=application_id).status == "submitted"


def test_T_H5_correction_without_a_reason_is_refused(citizen, item, clerk):
    application_id = draft_for(citizen, item)
    services.submit_application(application_id=application_id, applicant_id=citizen.id)
    with pytest.raises(ApplicationError, match="请输入补正说明"):
        services.request_correction(
            application_id=application_id, staff_id=clerk.id, reason="  ", fields=["address"], material_ids=[]
        )
    assert Application.objects.get(pk=application_id).status == "submitted"
    assert CorrectionRequest.objects.count() == 0


def test_T_B3_clerk_of_another_department_cannot_request_correction(citizen, item, other_department):
    outsider = make_staff("civil_clerk", other_department, role="clerk")
    application_id = draft_for(citizen, item)
    services.submit_application(application_id=application_id, applicant_id=citizen.id)
    assert inbox_application_ids(outsider.id) == []
    with pytest.raises(ApplicationError, match="没有找到该办件"):
        services.request_correction(
            application_id=application_id,
            staff_id=outsider.id,
            reason="x",
            fields=["address"],
            material_ids=[],
        )
    assert Application.objects.get(pk=application_id).status == "submitted"


def test_correction_must_name_items_of_the_application(citizen, item, clerk):
    application_id = draft_for(citizen, item)
    services.submit_application(application_id=application_id, applicant_id=citizen.id)
    with pytest.raises(ApplicationError, match="不属于该办件"):
        services.request_correction(
            application_id=application_id, staff_id=clerk.id, reason="x", fields=["salary"], material_ids=[]
        )
    with pytest.raises(ApplicationError, match="请选择须补正"):
        services.request_correction(
            application_id=application_id, staff_id=clerk.id, reason="x", fields=[], material_ids=[]
        )
    assert CorrectionRequest.objects.count() == 0


def test_clerk_accepts_or_declines_a_submitted_application(citizen, other_citizen, item, clerk):
    accepted = draft_for(citizen, item)
    services.submit_application(application_id=accepted, applicant_id=citizen.id)
    services.accept_application(application_id=accepted, staff_id=clerk.id)
    assert Application.objects.get(pk=accepted).status == "accepted"
    with pytest.raises(ApplicationStateError):
        services.accept_application(application_id=accepted, staff_id=clerk.id)

    declined = draft_for(other_citizen, item)
    services.submit_application(application_id=declined, applicant_id=other_citizen.id)
    with pytest.raises(ApplicationError, match="请输入不予受理的理由"):
        services.decline_application(application_id=declined, staff_id=clerk.id, reason="")
    services.decline_application(application_id=declined, staff_id=clerk.id, reason="不属于本部门职权范围")
    application = Application.objects.get(pk=declined)
    assert application.status == "declined"
    assert application.events.last().note == "不属于本部门职权范围"
