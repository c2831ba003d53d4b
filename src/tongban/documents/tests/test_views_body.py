"""正文 pages: the editor, the Word upload and download, and the 修订 page (staff, 知悉范围)."""

import io

import pytest
from conftest import make_staff
from docx import Document

from tongban.accounts.tests.helpers import login_staff, summary_errors
from tongban.core.models import AuditEvent
from tongban.documents.models import BodyVersion
from tongban.documents.roles import DOCUMENT_CLERK, DOCUMENT_REVIEWER
from tongban.documents.tests.body_helpers import open_review, word_file
from tongban.documents.tests.factories import BodyVersionFactory, OfficialDocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def document():
    document = OfficialDocumentFactory()
    BodyVersionFactory(document=document, number=1, html="<p>现将有关事项通知如下。</p>")
    return document


def test_the_drafter_sees_the_editor_with_the_current_text(client, document):
    login_staff(client, document.drafter)

    page = client.get(f"/staff/documents/{document.pk}/body/")

    assert page.status_code == 200
    html = page.content.decode()
    assert '<textarea id="id_html" name="html"' in html
    assert "&lt;p&gt;现将有关事项通知如下。&lt;/p&gt;</textarea>" in html
    assert "vendor/quill/quill.js" in html
    assert "<script>" not in html  # CSP: scripts come from static files only


def test_saving_redirects_back_with_the_version(client, document):
    login_staff(client, document.drafter)

    saved = client.post(
        f"/staff/documents/{document.pk}/body/", {"html": "<p>修改后的正文。</p>"}, follow=True
    )

    assert saved.redirect_chain == [(f"/staff/documents/{document.pk}/body/", 302)]
    assert "已保存正文（第1版）" in saved.content.decode()
    assert BodyVersion.objects.get(document=document).html == "<p>修改后的正文。</p>"


def test_saving_the_same_text_says_nothing_changed(client, document):
    login_staff(client, document.drafter)

    saved = client.post(
        f"/staff/documents/{document.pk}/body/", {"html": "<p>现将有关事项通知如下。</p>"}, follow=True
    )

    assert "正文没有改动，仍为第1版" in saved.content.decode()
    assert BodyVersion.objects.filter(document=document).count() == 1


def test_an_empty_body_shows_the_error_summary_and_keeps_the_text(client, document):
    login_staff(client, document.drafter)

    page = client.post(f"/staff/documents/{document.pk}/body/", {"html": "<p><br></p>"})

    assert page.status_code == 400
    assert summary_errors(page) == ["请输入正文"]
    assert page.content.decode().count("<title>错误：正文") == 1
    assert BodyVersion.objects.get(document=document).html == "<p>现将有关事项通知如下。</p>"


def test_T_B3_a_stranger_gets_404_and_an_audit_row(client, document):
    stranger = make_staff("stranger", document.drafting_department, DOCUMENT_CLERK)
    login_staff(client, stranger)

    for url in ("body/", "revisions/", "body.docx"):
        assert client.get(f"/staff/documents/{document.pk}/{url}").status_code == 404
    assert client.post(f"/staff/documents/{document.pk}/body/", {"html": "<p>改</p>"}).status_code == 404

    denied = AuditEvent.objects.filter(actor_id=stranger.id, object_type="document", result="denied")
    assert sorted(denied.values_list("event", flat=True)) == [
        "document.body",
        "document.body",
        "document.body_docx",
        "document.revisions",
    ]
    assert BodyVersion.objects.get(document=document).html == "<p>现将有关事项通知如下。</p>"


def test_after_sign_off_the_page_is_read_only_and_a_post_is_409(client):
    document = OfficialDocumentFactory(signed_off=True)
    BodyVersionFactory(document=document, number=1, html="<h1>一、要求</h1><p>签发稿。</p>")
    login_staff(client, document.drafter)

    page = client.get(f"/staff/documents/{document.pk}/body/")
    refused = client.post(f"/staff/documents/{document.pk}/body/", {"html": "<p>改动。</p>"})

    assert page.status_code == 200
    assert "<textarea" not in page.content.decode()
    assert '<div class="document-body"><h3>一、要求</h3><p>签发稿。</p></div>' in page.content.decode()
    assert refused.status_code == 409
    assert "公文已签发，正文不能再修改" in refused.content.decode()
    assert "<textarea" not in refused.content.decode()
    assert BodyVersion.objects.get(document=document).html == "<h1>一、要求</h1><p>签发稿。</p>"


def test_uploading_a_word_document_replaces_the_body(client, document):
    login_staff(client, document.drafter)
    data = io.BytesIO(word_file(("", "各部门："), ("Heading 1", "一、任务")))
    data.name = "通知.docx"

    saved = client.post(f"/staff/documents/{document.pk}/body/upload/", {"docx": data}, follow=True)

    assert "已导入 Word 文档（第1版）" in saved.content.decode()
    assert BodyVersion.objects.get(document=document).html == "<p>各部门：</p><h1>一、任务</h1>"


def test_a_renamed_file_is_refused_next_to_the_upload_field(client, document):
    login_staff(client, document.drafter)
    data = io.BytesIO(b"%PDF-1.7 not word")
    data.name = "通知.docx"

    page = client.post(f"/staff/documents/{document.pk}/body/upload/", {"docx": data})

    assert page.status_code == 400
    assert summary_errors(page) == ["所选文件须为 Word 文档（DOCX）格式"]


def test_the_word_download_is_the_clean_text(client, document):
    login_staff(client, document.drafter)

    response = client.get(f"/staff/documents/{document.pk}/body.docx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    word = Document(io.BytesIO(response.content))
    assert [p.text for p in word.paragraphs] == [document.title, "现将有关事项通知如下。"]


def test_the_revisions_page_shows_each_reviewers_marks_with_name_and_time(client, document):
    reviewer = make_staff("审核员", document.drafting_department, DOCUMENT_REVIEWER)
    open_review(document)
    login_staff(client, reviewer)
    client.post(
        f"/staff/documents/{document.pk}/body/", {"html": "<p>现将有关事项通知如下，请认真执行。</p>"}
    )

    page = client.get(f"/staff/documents/{document.pk}/revisions/")
    clean = client.get(f"/staff/documents/{document.pk}/revisions/?view=clean")

    html = page.content.decode()
    assert page.status_code == 200
    assert "第2版：审核员" in html
    assert '现将有关事项通知如下<ins title="审核员 ' in html
    assert '<span class="visually-hidden">插入：</span>，请认真执行</ins>。</p>' in html
    assert "<del" not in html
    assert "<ins" not in clean.content.decode()
    assert (
        '<div class="document-body"><p>现将有关事项通知如下，请认真执行。</p></div>' in clean.content.decode()
    )
