import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from reportlab.pdfgen import canvas

from tongban.accounts.tests.helpers import login_staff
from tongban.briefings.models import Submission, SubmissionAttachment


def _client(user) -> Client:
    client = Client()
    login_staff(client, user)
    return client


def _pdf() -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(100, 700, "data")
    page.save()
    return buffer.getvalue()


def _post(client, market, publication, upload, key):
    return client.post(
        reverse("briefings:new"),
        {
            "idempotency_key": key,
            "department": market.pk,
            "publication": publication,
            "title": "带附件的信息",
            "kind": "news",
            "urgency": "normal",
            "body": "正文",
            "attachment": upload,
        },
    )


def test_an_attachment_is_kept_and_only_ever_downloaded(
    reporter, market, editor, teacher_reporter, publication
):
    content = _pdf()
    response = _post(
        _client(reporter),
        market,
        publication,
        SimpleUploadedFile("统计表.pdf", content, "application/pdf"),
        "a",
    )
    assert response.status_code == 302
    attachment = SubmissionAttachment.objects.get()
    assert (attachment.name, attachment.size, bytes(attachment.content)) == (
        "统计表.pdf",
        len(content),
        content,
    )
    url = reverse("briefings:attachment", args=[attachment.submission_id, attachment.pk])
    download = _client(editor).get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"] == "attachment; filename*=UTF-8''%E7%BB%9F%E8%AE%A1%E8%A1%A8.pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download.content == content
    assert _client(teacher_reporter).get(url).status_code == 404


def test_T_C1_an_executable_named_pdf_is_refused_and_nothing_is_stored(reporter, market, publication):
    upload = SimpleUploadedFile("x.pdf", b"MZ\x90\x00" + b"\x00" * 100, "application/pdf")
    response = _post(_client(reporter), market, publication, upload, "b")
    assert response.status_code == 400
    assert '<a href="#id_attachment">文件类型与扩展名不符</a>' in response.content.decode()
    assert Submission.objects.count() == 0
    assert SubmissionAttachment.objects.count() == 0
