"""The pages: form errors shown, idempotent comment submission, the rate limit (429), department
isolation of the staff pages (404 + audit), the public page's pinned query count."""

import datetime as dt

import pytest
from conftest import make_staff

from tongban.accounts.tests.helpers import summary_errors
from tongban.consultations.models import Comment, Consultation, Section
from tongban.consultations.roles import CONSULTATION_PUBLISHER
from tongban.consultations.services import comments
from tongban.consultations.tests.conftest import NOW, citizen, client_for
from tongban.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_new_consultation_with_missing_answers_shows_the_errors(publisher):
    response = client_for(publisher).post(
        "/staff/consultations/new/", {"title": "", "summary": "", "idempotency_key": "n1"}
    )
    assert response.status_code == 400
    assert summary_errors(response) == ["请输入标题"]
    assert "错误：" in response.content.decode()
    assert Consultation.objects.count() == 0


def test_a_publisher_drafts_adds_sections_and_publishes_through_the_pages(publisher, department):
    client = client_for(publisher)
    response = client.post(
        "/staff/consultations/new/",
        {
            "title": "《云州市物业管理条例（征求意见稿）》",
            "summary": "公开征求意见",
            "department": str(department.pk),
            "opens_on_0": "2026",
            "opens_on_1": "12",
            "opens_on_2": "1",
            "closes_on_0": "2026",
            "closes_on_1": "12",
            "closes_on_2": "31",
            "idempotency_key": "n2",
        },
    )
    consultation = Consultation.objects.get()
    assert response.url == f"/staff/consultations/{consultation.pk}/"
    response = client.post(f"/staff/consultations/{consultation.pk}/sections/", {"heading": "", "text": "x"})
    assert response.status_code == 400
    assert "请输入章节标题" in response.content.decode()
    client.post(
        f"/staff/consultations/{consultation.pk}/sections/", {"heading": "第一章 总则", "text": "条文"}
    )
    assert client.get(f"/staff/consultations/{consultation.pk}/").status_code == 200
    client.post(f"/staff/consultations/{consultation.pk}/publish/")
    consultation.refresh_from_db()
    assert (consultation.status, consultation.phase) == ("published", "open")
    assert client.get(f"/staff/consultations/{consultation.pk}/comments/").status_code == 200


def test_another_departments_publisher_gets_a_404_and_an_audit_row(consultation, other_department):
    stranger = make_staff("civil_publisher", other_department, CONSULTATION_PUBLISHER)
    client = client_for(stranger)
    for path in (
        f"/staff/consultations/{consultation}/comments/",
        f"/staff/consultations/{consultation}/result/",
    ):
        assert client.get(path).status_code == 404
    assert client.post(f"/staff/consultations/{consultation}/close/").status_code == 404
    assert Consultation.objects.get(pk=consultation).phase == "open"
    assert (
        AuditEvent.objects.filter(
            event="consultation.manage", object_id=str(consultation), result="denied", actor_id=stranger.id
        ).count()
        == 3
    )


def test_a_citizen_is_refused_the_staff_pages(consultation, resident):
    assert client_for(resident).get("/staff/consultations/").status_code == 404


def test_an_empty_comment_shows_its_error_next_to_the_section(consultation, resident):
    section = Section.objects.filter(consultation_id=consultation).first()
    response = client_for(resident).post(
        f"/consultations/{consultation}/comment/",
        {"section": str(section.pk), "body": "  ", "idempotency_key": "e"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'<a href="#id_body_{section.pk}">请输入留言内容</a>' in page
    assert f'id="id_body_{section.pk}_error"' in page
    assert Comment.objects.count() == 0


def test_a_blocked_comment_keeps_the_text_and_names_the_word(consultation, resident):
    response = client_for(resident).post(
        f"/consultations/{consultation}/comment/",
        {"section": "whole", "body": "本小区代开发票", "idempotency_key": "b"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "留言中含有不允许发布的词语“代开发票”，请删除后再提交" in page
    assert ">本小区代开发票</textarea>" in page


def test_a_retried_comment_is_not_duplicated(consultation, resident):
    client = client_for(resident)
    data = {"section": "whole", "body": "建议公开维修资金使用情况", "idempotency_key": "same-key"}
    first = client.post(f"/consultations/{consultation}/comment/", data)
    second = client.post(f"/consultations/{consultation}/comment/", data)
    comment = Comment.objects.get()
    assert first.url == second.url == f"/consultations/{consultation}/#comment-{comment.pk}"


def test_anonymous_visitors_are_sent_to_log_in(consultation, client):
    response = client.post(f"/consultations/{consultation}/comment/", {"section": "whole", "body": "x"})
    assert response.status_code == 302
    assert response.url.startswith("/login/") or "login" in response.url
    assert Comment.objects.count() == 0


def test_the_comment_rate_limit_answers_429_in_chinese(consultation, resident, settings):
    settings.TONGBAN_COMMENTS_PER_HOUR = 2
    client = client_for(resident)
    for number in range(2):
        response = client.post(
            f"/consultations/{consultation}/comment/",
            {"section": "whole", "body": f"意见{number}", "idempotency_key": f"r{number}"},
        )
        assert response.status_code == 302
    response = client.post(
        f"/consultations/{consultation}/comment/",
        {"section": "whole", "body": "意见3", "idempotency_key": "r3"},
    )
    assert response.status_code == 429
    assert "您留言太频繁了，请一小时后再试" in response.content.decode()
    assert Comment.objects.count() == 2
    # a retry of an accepted comment is not counted, nor refused
    assert (
        client.post(
            f"/consultations/{consultation}/comment/",
            {"section": "whole", "body": "意见0", "idempotency_key": "r0"},
        ).status_code
        == 302
    )


def test_the_public_page_costs_the_same_with_many_comments(consultation, django_assert_num_queries, settings):
    settings.TONGBAN_COMMENTS_PER_HOUR = 1000
    sections = list(Section.objects.filter(consultation_id=consultation))
    reader = client_for(citizen("13800000088", "读者"))

    def add(count, prefix):
        for number in range(count):
            author = citizen(f"139000{prefix}{number:03d}", "留言人")
            comments.submit_comment(
                author_id=author.id,
                consultation_id=consultation,
                section_id=sections[number % 3].pk,
                body=f"意见{prefix}{number}",
                idempotency_key=f"{prefix}{number}",
            )

    add(3, "10")
    reader.get(f"/consultations/{consultation}/")
    # session, user; the consultation, its comments, sections, attachments
    with django_assert_num_queries(6):
        page = reader.get(f"/consultations/{consultation}/")
    assert page.content.decode().count('class="cs-comment"') == 3
    add(30, "20")
    with django_assert_num_queries(6):
        page = reader.get(f"/consultations/{consultation}/")
    assert page.content.decode().count('class="cs-comment"') == 33


def test_the_lists_show_open_closed_and_results(consultation, client, clock):
    assert "物业管理条例" in client.get("/consultations/").content.decode()
    assert "物业管理条例" in client.get("/interact/").content.decode()
    clock.move_to(dt.datetime(2026, 12, 22, 9, 0, tzinfo=NOW.tzinfo))
    assert "物业管理条例" not in client.get("/consultations/").content.decode()
    assert "物业管理条例" in client.get("/consultations/?tab=closed").content.decode()


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_an_attachment_passes_the_upload_checks_and_is_served_once_published(
    publisher, department, clamd, client
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tongban.consultations.services import consultations as services
    from tongban.consultations.tests.conftest import draft

    consultation_id = services.create_consultation(
        actor_id=publisher.id, draft=draft(department), idempotency_key="files"
    )
    staff = client_for(publisher)
    refused = staff.post(
        f"/staff/consultations/{consultation_id}/files/",
        {"file": SimpleUploadedFile("说明.exe", b"MZ\x90\x00binary", content_type="application/pdf")},
        follow=True,
    )
    assert "所选文件须为" in refused.content.decode()
    staff.post(
        f"/staff/consultations/{consultation_id}/files/",
        {"file": SimpleUploadedFile("起草说明.pdf", PDF, content_type="application/pdf")},
    )
    consultation = Consultation.objects.get(pk=consultation_id)
    attachment = consultation.attachments.get()
    assert attachment.original_name == "起草说明.pdf"
    assert client.get(f"/consultations/{consultation_id}/files/{attachment.pk}/").status_code == 404
    services.add_section(actor_id=publisher.id, consultation_id=consultation_id, heading="总则", text="条文")
    services.publish_consultation(actor_id=publisher.id, consultation_id=consultation_id)
    response = client.get(f"/consultations/{consultation_id}/files/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
