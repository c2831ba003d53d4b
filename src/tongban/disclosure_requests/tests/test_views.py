"""The pages over HTTP: applying with errors shown, isolation (404 + audit), the staff queue's pinned
query count, downloads (the applicant only ever gets the redacted PDF), rules and the annual report."""

import uuid

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tongban.accounts.services import ensure_user
from tongban.accounts.tests.helpers import login_staff
from tongban.core.models import AuditEvent
from tongban.disclosure_requests import services
from tongban.disclosure_requests.models import AnnualReport, DisclosureRequest, ReportStatus
from tongban.disclosure_requests.tests.helpers import (
    ID_NUMBER,
    PASSWORD,
    PHONE,
    SAMPLE_LINES,
    apply,
    text_pdf,
)
from tongban.tracking.tests.pdf import pdf_text


def portal(user) -> Client:
    client = Client()
    client.login(username=user.username, password=PASSWORD)
    return client


def staff(user) -> Client:
    client = Client()
    login_staff(client, user)
    return client


def test_the_form_shows_every_error_and_saves_nothing(s):
    response = portal(s.citizen).post(
        reverse("disclosure_requests:apply"), {"idempotency_key": str(uuid.uuid4()), "delivery": "post"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    for message in ("请选择受理申请的机关", "请描述所需的政府信息", "请选择信息的载体形式"):
        assert message in body
    assert not DisclosureRequest.objects.exists()


def test_applying_shows_the_receipt_number_and_due_date_and_a_retry_is_not_duplicated(s):
    client = portal(s.citizen)
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "department": s.department.pk,
        "description": "2025年全市食品安全抽检结果",
        "delivery": "online",
        "format": "electronic",
    }
    first = client.post(reverse("disclosure_requests:apply"), data)
    again = client.post(reverse("disclosure_requests:apply"), data)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    request = DisclosureRequest.objects.get()
    page = client.get(first["Location"]).content.decode()
    assert request.number in page
    assert f"{request.due_on.year}年{request.due_on.month}月{request.due_on.day}日" in page


def test_another_citizen_and_another_department_get_404_and_an_audit_row(s):
    request_id = apply(s)
    other = ensure_user(
        username="13800000099", full_name="赵六", kind="citizen", password=PASSWORD, phone="13800000099"
    )
    assert portal(other).get(reverse("disclosure_requests:mine_detail", args=[request_id])).status_code == 404
    assert (
        staff(s.outsider).get(reverse("disclosure_requests:staff_request", args=[request_id])).status_code
        == 404
    )
    denied = AuditEvent.objects.filter(
        object_type="disclosure_request", object_id=str(request_id), result="denied"
    )
    assert denied.count() == 2


def test_the_staff_queue_costs_the_same_queries_for_more_requests(s, django_assert_num_queries):
    for _ in range(2):
        apply(s)
    client = staff(s.handler)
    url = reverse("disclosure_requests:staff_queue")
    client.get(url)
    with django_assert_num_queries(19) as first:
        response = client.get(url)
    assert response.status_code == 200
    for _ in range(5):
        apply(s)
    with django_assert_num_queries(len(first.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("YSQ-") == 7


def test_the_applicant_downloads_the_redacted_file_never_the_original(s):
    request_id = apply(s)
    handler = staff(s.handler)
    handler.post(reverse("disclosure_requests:staff_act", args=[request_id, "accept"]))
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = handler.post(
        reverse("disclosure_requests:staff_act", args=[request_id, "upload"]),
        {"file": SimpleUploadedFile("抽检结果.pdf", text_pdf(SAMPLE_LINES), content_type="application/pdf")},
    )
    assert response.status_code == 302
    request = DisclosureRequest.objects.get(pk=request_id)
    file = request.files.get()
    page = handler.get(reverse("disclosure_requests:staff_request", args=[request_id])).content.decode()
    assert "身份证号码：遮蔽1处" in page
    assert "手机号码：遮蔽1处" in page
    handler.post(
        reverse("disclosure_requests:staff_act", args=[request_id, "confirm-file"]), {"file": file.pk}
    )
    response = handler.post(
        reverse("disclosure_requests:staff_act", args=[request_id, "answer"]), {"answer_type": "granted"}
    )
    assert response.status_code == 302
    staff(s.approver).post(reverse("disclosure_requests:staff_act", args=[request_id, "sign"]))
    applicant = portal(s.citizen)
    download = applicant.get(reverse("disclosure_requests:mine_file", args=[request_id, file.pk]))
    text = pdf_text(b"".join(download.streaming_content))
    assert ID_NUMBER not in text
    assert PHONE not in text
    # The original's URL is a staff page: the applicant gets 404.
    assert applicant.get(
        reverse("disclosure_requests:staff_file", args=[request_id, file.pk, "original"])
    ).status_code in (302, 404)


def test_a_pause_without_a_reason_is_a_400_with_the_message(s):
    request_id = apply(s)
    client = staff(s.handler)
    client.post(reverse("disclosure_requests:staff_act", args=[request_id, "accept"]))
    response = client.post(
        reverse("disclosure_requests:staff_act", args=[request_id, "pause"]),
        {"kind": "correction", "reason": ""},
    )
    assert response.status_code == 400
    assert "请填写暂停计时的理由" in response.content.decode()
    assert DisclosureRequest.objects.get(pk=request_id).status == "handling"


def test_the_annual_report_counts_requests_and_is_published(s):
    apply(s)
    apply(s, user=s.enterprise, applicant_type="legal_service")
    client = staff(s.approver)
    year = timezone.localdate().year
    response = client.post(
        reverse("disclosure_requests:staff_reports"), {"scope": str(s.department.pk), "year": str(year)}
    )
    report = AnnualReport.objects.get()
    assert response["Location"] == reverse("disclosure_requests:staff_report", args=[report.pk])
    data = {
        "overview": "总体情况",
        "proactive_note": "",
        "problems": "问题",
        "other_matters": "无",
        **{f"reconsideration:{r}": "0" for r in ("upheld", "corrected", "other", "pending")},
    }
    data.update(
        {
            f"{g}:{r}": "0"
            for g in ("litigation_direct", "litigation_after")
            for r in ("upheld", "corrected", "other", "pending")
        }
    )
    data["reconsideration:upheld"] = "2"
    assert client.post(reverse("disclosure_requests:staff_report", args=[report.pk]), data).status_code == 302
    client.post(reverse("disclosure_requests:staff_report", args=[report.pk]), {"action": "publish"})
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED
    assert report.snapshot["table"]["new"] == {
        "natural_person": 1,
        "commercial": 0,
        "research": 0,
        "public_welfare": 0,
        "legal_service": 1,
        "other": 0,
        "total": 2,
    }
    public = Client().get(reverse("disclosure_requests:public_report", args=[report.pk]))
    assert public.status_code == 200
    assert "一、本年新收政府信息公开申请数量" in public.content.decode()
    assert "2" in pdf_text(
        b"".join(
            Client().get(reverse("disclosure_requests:public_report_pdf", args=[report.pk])).streaming_content
        )
    )
    # The handler may not edit reports.
    assert (
        staff(s.handler).get(reverse("disclosure_requests:staff_report", args=[report.pk])).status_code == 404
    )


def test_the_general_offices_approver_makes_the_government_report_over_every_department(s):
    from tongban.disclosure_requests.roles import REQUEST_APPROVER
    from tongban.disclosure_requests.tests.helpers import staff as make_staff
    from tongban.organizations.services import set_general_office
    from tongban.organizations.tests.factories import DepartmentFactory

    office = DepartmentFactory(name="云州市人民政府办公室", short_name="市政府办公室")
    set_general_office(office.pk)
    office_approver = make_staff("office_request_approver", office, REQUEST_APPROVER)
    apply(s)
    services.submit_request(
        user_id=s.citizen.id,
        application=services.Application(s.other.pk, "2026年中考招生计划", "", "online", "electronic"),
        idempotency_key=uuid.uuid4(),
    )
    year = timezone.localdate().year
    # A department's approver is not offered the government's report and cannot make it.
    page = staff(s.approver).get(reverse("disclosure_requests:staff_reports")).content.decode()
    assert "本级人民政府" not in page
    refused = staff(s.approver).post(
        reverse("disclosure_requests:staff_reports"), {"scope": "government", "year": str(year)}
    )
    assert refused.status_code == 400
    assert not AnnualReport.objects.exists()
    client = staff(office_approver)
    response = client.post(
        reverse("disclosure_requests:staff_reports"), {"scope": "government", "year": str(year)}
    )
    report = AnnualReport.objects.get(department__isnull=True)
    assert response["Location"] == reverse("disclosure_requests:staff_report", args=[report.pk])
    page = client.get(response["Location"])
    assert [
        values for label, _i, values in page.context["content"].table_rows() if label.startswith("一、")
    ] == [[2, 0, 0, 0, 0, 0, 2]]
