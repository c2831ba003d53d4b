"""The legal clock: 20 working days from receipt, one extension by 20, 补正 and 第三方 pauses added on,
across the 2026 Mid-Autumn and National Day holidays (exact dates)."""

import datetime as dt
import uuid
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from tongban.disclosure_requests import rules, services
from tongban.disclosure_requests.errors import RequestError, RequestStateError
from tongban.disclosure_requests.models import DisclosureRequest, Extension, Notice, Pause, Status
from tongban.disclosure_requests.tests.helpers import apply
from tongban.documents.sealing import verify_pdf_seal
from tongban.notifications.models import Notification

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: dt.date):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=SHANGHAI), tick=False)


def test_rules_count_20_then_40_working_days_over_the_national_day_holiday(s):
    received = dt.date(2026, 9, 14)
    assert rules.due_date(received, extended=False, paused_days=0) == dt.date(2026, 10, 16)
    assert rules.due_date(received, extended=True, paused_days=0) == dt.date(2026, 11, 13)
    # 补正 from Monday 21 to Friday 25 September (中秋节): 22, 23 and 24 September do not count.
    assert rules.pause_days(dt.date(2026, 9, 21), dt.date(2026, 9, 25)) == 3
    assert rules.due_date(received, extended=True, paused_days=3) == dt.date(2026, 11, 18)


def test_a_request_extended_once_and_paused_for_correction_has_the_exact_due_date(
    s, django_capture_on_commit_callbacks
):
    with at(dt.date(2026, 9, 14)):
        request_id = apply(s)
        request = DisclosureRequest.objects.get(pk=request_id)
        assert (request.number, request.received_on, request.due_on) == (
            "YSQ-2026-000001",
            dt.date(2026, 9, 14),
            dt.date(2026, 10, 16),
        )
        services.accept(request_id=request_id, user_id=s.handler.id)
    with at(dt.date(2026, 9, 21)):
        services.start_pause(
            request_id=request_id,
            user_id=s.handler.id,
            kind="correction",
            reason="请说明所需抽检结果的具体品类",
        )
        assert DisclosureRequest.objects.get(pk=request_id).status == Status.CORRECTION
    with at(dt.date(2026, 9, 25)):
        services.reply_correction(request_id=request_id, user_id=s.citizen.id, text="需要乳制品的抽检结果")
    request = DisclosureRequest.objects.get(pk=request_id)
    assert (request.status, request.paused_days, request.due_on) == (
        Status.HANDLING,
        3,
        dt.date(2026, 10, 21),
    )
    with at(dt.date(2026, 10, 12)), django_capture_on_commit_callbacks(execute=True):
        services.request_extension(
            request_id=request_id, user_id=s.handler.id, reason="需要汇总多个区县的数据"
        )
        services.decide_extension(request_id=request_id, user_id=s.approver.id, approve=True)
    request = DisclosureRequest.objects.get(pk=request_id)
    assert (request.extended, request.due_on) == (True, dt.date(2026, 11, 18))
    notice = Notice.objects.filter(request_id=request_id, title="政府信息公开申请延期答复告知书").get()
    with notice.pdf.open("rb") as f:
        assert verify_pdf_seal(f.read()).valid
    assert Notification.objects.filter(
        recipient_id=s.citizen.id, title="政府信息公开申请延期答复告知书"
    ).exists()
    # A second extension is refused and changes nothing.
    with at(dt.date(2026, 10, 13)), pytest.raises(RequestStateError, match="只能延长一次"):
        services.request_extension(request_id=request_id, user_id=s.handler.id, reason="再延一次")
    assert Extension.objects.filter(request_id=request_id).count() == 1


def test_third_party_consultation_days_do_not_count(s):
    with at(dt.date(2026, 9, 14)):
        request_id = apply(s)
        services.accept(request_id=request_id, user_id=s.handler.id)
    with at(dt.date(2026, 9, 28)):
        services.start_pause(
            request_id=request_id,
            user_id=s.handler.id,
            kind="consultation",
            reason="涉及企业商业秘密，征求该企业意见",
        )
    with at(dt.date(2026, 10, 9)):
        services.end_consultation(
            request_id=request_id, user_id=s.handler.id, opinion="企业不同意公开配方部分"
        )
    request = DisclosureRequest.objects.get(pk=request_id)
    pause = Pause.objects.get(request_id=request_id)
    assert (pause.days, request.paused_days) == (4, 4)  # 29, 30 September, 8, 9 October
    assert request.due_on == dt.date(2026, 10, 22)


def test_a_pause_without_a_reason_is_refused_and_nothing_changes(s):
    request_id = apply(s)
    services.accept(request_id=request_id, user_id=s.handler.id)
    with pytest.raises(RequestError, match="暂停计时的理由"):
        services.start_pause(request_id=request_id, user_id=s.handler.id, kind="correction", reason="  ")
    assert DisclosureRequest.objects.get(pk=request_id).status == Status.HANDLING
    assert not Pause.objects.exists()


def test_only_the_departments_approver_decides_an_extension(s):
    request_id = apply(s)
    services.accept(request_id=request_id, user_id=s.handler.id)
    services.request_extension(request_id=request_id, user_id=s.handler.id, reason="数据量大")
    with pytest.raises(RequestError):
        services.decide_extension(request_id=request_id, user_id=s.handler.id, approve=True)
    assert DisclosureRequest.objects.get(pk=request_id).extended is False


def test_a_retried_submission_is_not_duplicated_and_numbers_follow_each_other(s):
    key = uuid.uuid4()
    first = apply(s, key=key)
    assert apply(s, key=key) == first
    second = apply(s, user=s.enterprise, applicant_type="research")
    assert DisclosureRequest.objects.count() == 2
    numbers = dict(DisclosureRequest.objects.values_list("pk", "number"))
    year = timezone.localdate().year
    assert numbers == {first: f"YSQ-{year}-000001", second: f"YSQ-{year}-000002"}
    assert DisclosureRequest.objects.get(pk=second).applicant_type == "research"


def test_an_application_with_errors_is_refused_with_every_problem(s):
    with pytest.raises(services.ApplicationError) as caught:
        services.submit_request(
            user_id=s.enterprise.id,
            application=services.Application(
                department_id=s.department.pk,
                description="",
                purpose="",
                delivery="email",
                format="",
                applicant_type="",
            ),
            idempotency_key=uuid.uuid4(),
        )
    assert [field for field, _m in caught.value.problems] == [
        "description",
        "format",
        "contact_email",
        "applicant_type",
    ]
    assert not DisclosureRequest.objects.exists()
