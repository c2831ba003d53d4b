"""The publisher's pages end to end over HTTP (draft with errors, draft, attachment, publish, board,
withdraw) and the reader's list, whose queries do not grow with its rows."""

import pytest
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff, summary_errors
from tongban.notices.models import Notice, NoticeAttachment, NoticeStatus
from tongban.notices.tests.helpers import make_city, publish

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def city(db):
    return make_city()


def _form(city, **changes):
    data = {
        "title": "关于报送年度工作总结的通知",
        "body": "各科室：\n\n请于月底前报送。",
        "department": str(city.market.pk),
        "audience": "departments",
        "departments": [str(city.market.pk), str(city.market_branch.pk)],
        "requires_receipt": "on",
        "expires_on_0": "",
        "expires_on_1": "",
        "expires_on_2": "",
        "idempotency_key": "form-1",
    }
    data.update(changes)
    return data


def test_a_draft_with_errors_keeps_the_answers_and_lists_the_errors(client, city):
    login_staff(client, city.market_publisher)
    response = client.post(reverse("notices:new"), _form(city, title="", audience="citywide"))
    assert response.status_code == 400
    assert summary_errors(response) == ["请输入标题"]
    assert "请于月底前报送" in response.content.decode()
    assert not Notice.objects.exists()
    response = client.post(reverse("notices:new"), _form(city, audience="citywide"))
    assert response.status_code == 400
    assert "全市范围的通知只能由市政府办公室发布" in response.content.decode()
    assert not Notice.objects.exists()


def test_the_publisher_drafts_attaches_publishes_and_withdraws(client, city, clamd):
    login_staff(client, city.market_publisher)
    response = client.post(reverse("notices:new"), _form(city))
    notice = Notice.objects.get()
    assert response["Location"] == reverse("notices:edit", args=[notice.pk])
    assert client.post(reverse("notices:new"), _form(city)).status_code == 302  # a retried submission
    assert Notice.objects.count() == 1

    upload = client.post(reverse("notices:add_attachment", args=[notice.pk]), {"file": _file("值班表.pdf")})
    assert upload.status_code == 302
    assert list(NoticeAttachment.objects.values_list("original_name", flat=True)) == ["值班表.pdf"]

    response = client.post(reverse("notices:publish", args=[notice.pk]))
    assert response["Location"] == reverse("notices:receipts", args=[notice.pk])
    board = client.get(response["Location"]).content.decode()
    assert "共3人，已阅0人。" in board  # market_pub, market_reader and branch_reader
    assert client.post(reverse("notices:publish", args=[notice.pk])).status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED

    reader = client.__class__()
    login_staff(reader, city.branch_reader)
    attachment = NoticeAttachment.objects.get()
    download = reader.get(reverse("notices:attachment", args=[notice.pk, attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    outsider = client.__class__()
    login_staff(outsider, city.civil_reader)
    assert outsider.get(reverse("notices:attachment", args=[notice.pk, attachment.pk])).status_code == 404

    refused = client.post(reverse("notices:withdraw", args=[notice.pk]), {"reason": ""})
    assert refused.status_code == 400
    assert summary_errors(refused) == ["请输入撤回原因"]
    client.post(reverse("notices:withdraw", args=[notice.pk]), {"reason": "时间有变"})
    notice.refresh_from_db()
    assert (notice.status, notice.withdraw_reason) == (NoticeStatus.WITHDRAWN, "时间有变")


def _file(name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_a_reader_cannot_open_the_publisher_pages(client, city):
    notice_id = publish(city.market_publisher, city.market, audience=[city.market])
    login_staff(client, city.market_reader)
    assert client.get(reverse("notices:manage")).status_code == 404
    assert client.get(reverse("notices:new")).status_code == 404
    assert client.get(reverse("notices:receipts", args=[notice_id])).status_code == 404
    assert client.post(reverse("notices:withdraw", args=[notice_id]), {"reason": "x"}).status_code == 404
    assert Notice.objects.get(pk=notice_id).status == NoticeStatus.PUBLISHED


def test_the_list_costs_the_same_queries_for_more_notices(client, city, django_assert_num_queries):
    for n in range(2):
        publish(city.market_publisher, city.market, audience=[city.market], title=f"通知{n}")
    login_staff(client, city.market_reader)
    client.get(reverse("notices:list"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        page = client.get(reverse("notices:list")).content.decode()
    assert page.count('<li class="unread">') == 2
    for n in range(2, 6):
        publish(city.market_publisher, city.market, audience=[city.market], title=f"通知{n}")
    with django_assert_num_queries(len(first)):
        page = client.get(reverse("notices:list")).content.decode()
    assert page.count('<li class="unread">') == 6
