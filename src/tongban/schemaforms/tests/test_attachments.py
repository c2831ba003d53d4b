"""Attachments in a form ("format": "attachment"): the checks of core.uploads and a real clamd scan
before anything is kept; kept uploads survive a page re-rendered with errors; downloads only for whom
the caller allows."""

import io

import pytest
from conftest import EICAR, PASSWORD
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.utils.datastructures import MultiValueDict
from PIL import Image

from tongban.core.tests.files import pdf_bytes
from tongban.schemaforms import SchemaForm
from tongban.schemaforms.models import FormUpload
from tongban.schemaforms.tests.helpers import Page, example
from tongban.schemaforms.views import upload_response

LEAVE, LEAVE_UI = example("leave_request")
OWNER = 41
PDF = pdf_bytes("diagnosis")  # made once: a PDF carries the time it was made

SICK_LEAVE = {
    "kind": "sick",
    "start_date-year": "2026",
    "start_date-month": "12",
    "start_date-day": "8",
    "end_date-year": "2026",
    "end_date-month": "12",
    "end_date-day": "9",
    "days": "2",
    "reason": "发烧",
}


def files(name="诊断证明.pdf", content=None):
    upload = SimpleUploadedFile(name, PDF if content is None else content)
    return MultiValueDict({"proof": [upload]})


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="PNG")
    return out.getvalue()


def test_an_accepted_file_is_scanned_kept_and_its_id_is_the_answer(clamd, db):
    form = SchemaForm(LEAVE, LEAVE_UI, data=SICK_LEAVE, files=files(), owner_id=OWNER)

    assert form.is_valid(), form.errors
    upload = FormUpload.objects.get()
    assert form.cleaned_data["proof"] == str(upload.id)
    assert (upload.owner_id, upload.original_name, upload.content_type, upload.kind) == (
        OWNER,
        "诊断证明.pdf",
        "application/pdf",
        "pdf",
    )
    assert upload.size == len(PDF)
    assert len(upload.sha256) == 64
    assert upload.file.read() == PDF


def test_eicar_is_a_field_error_and_nothing_is_stored(clamd, db):
    # A PDF carrying the EICAR string: the type check passes, the real clamd finds it.
    infected = b"%PDF-1.4\n" + EICAR + b"\n%%EOF\n"
    form = SchemaForm(LEAVE, LEAVE_UI, data=SICK_LEAVE, files=files(content=infected), owner_id=OWNER)

    assert form.errors == [("field-proof", "证明材料：所选文件含有病毒")]
    assert FormUpload.objects.count() == 0


def test_a_type_the_field_does_not_accept_is_a_field_error_and_nothing_is_stored(clamd, db):
    form = SchemaForm(
        LEAVE, LEAVE_UI, data=SICK_LEAVE, files=files(name="说明.txt", content=b"just text"), owner_id=OWNER
    )

    [(target, message)] = form.errors
    assert target == "field-proof"
    assert message.startswith("证明材料：所选文件须为 PDF、JPG 或 PNG 格式")
    assert FormUpload.objects.count() == 0


def test_an_upload_is_kept_when_the_page_comes_back_with_errors(clamd, db):
    first = SchemaForm(LEAVE, LEAVE_UI, data={**SICK_LEAVE, "reason": ""}, files=files(), owner_id=OWNER)
    assert first.errors == [("field-reason", "请输入请假事由")]
    page = Page(render_to_string("schemaforms/_fields.html", {"form": first}))
    kept = page.controls["proof-keep"]["value"]
    assert "已上传：诊断证明.pdf" in page.all_text

    # The second POST carries the hidden id alone: no second upload.
    second = SchemaForm(LEAVE, LEAVE_UI, data={**SICK_LEAVE, "proof-keep": kept}, owner_id=OWNER)

    assert second.is_valid(), second.errors
    assert second.cleaned_data["proof"] == kept
    assert FormUpload.objects.count() == 1


def test_someone_elses_upload_id_is_not_accepted(clamd, db):
    theirs = SchemaForm(LEAVE, LEAVE_UI, data=SICK_LEAVE, files=files(), owner_id=OWNER + 1)
    assert theirs.is_valid()

    mine = SchemaForm(
        LEAVE, LEAVE_UI, data={**SICK_LEAVE, "proof-keep": theirs.cleaned_data["proof"]}, owner_id=OWNER
    )

    assert mine.errors == [("field-proof", "请上传证明材料")]


def test_the_saved_answer_stays_when_another_person_edits_the_form(clamd, db):
    saved = SchemaForm(LEAVE, LEAVE_UI, data=SICK_LEAVE, files=files(), owner_id=OWNER).cleaned_data
    initial = {"kind": "sick", "proof": saved["proof"]}

    form = SchemaForm(
        LEAVE,
        LEAVE_UI,
        data={**SICK_LEAVE, "proof-keep": saved["proof"]},
        initial=initial,
        owner_id=OWNER + 5,
    )

    assert form.is_valid()
    assert form.cleaned_data["proof"] == saved["proof"]


def test_a_file_for_a_field_that_is_not_asked_is_not_stored(clamd, db):
    form = SchemaForm(LEAVE, LEAVE_UI, data={**SICK_LEAVE, "kind": "annual"}, files=files(), owner_id=OWNER)

    assert form.is_valid()
    assert "proof" not in form.cleaned_data
    assert FormUpload.objects.count() == 0


def test_the_file_input_says_which_types_and_size_and_the_form_needs_multipart(db):
    form = SchemaForm(LEAVE, LEAVE_UI)
    page = Page(render_to_string("schemaforms/_fields.html", {"form": form}))

    assert form.is_multipart
    assert page.controls["proof"]["type"] == "file"
    assert page.controls["proof"]["accept"] == ".pdf,.jpg,.jpeg,.png"
    assert "文件须为 PDF、JPG、PNG 格式，小于 10MB" in page.all_text
    assert "field-proof" in page.label_for


def test_the_check_page_names_the_file(clamd, db):
    saved = SchemaForm(
        LEAVE, LEAVE_UI, data=SICK_LEAVE, files=files(name="病假条.png", content=png_bytes()), owner_id=OWNER
    ).cleaned_data

    answers = SchemaForm(LEAVE, LEAVE_UI, initial=saved)

    assert answers["proof"].answer == "病假条.png（1 KB）"


def test_the_uploader_downloads_their_file_and_nobody_else_can(clamd, client, db):
    users = get_user_model().objects
    # Users made directly: the form engine sits below accounts, and its tests too.
    owner = users.create_user(username="13800000021", password=PASSWORD)
    other = users.create_user(username="13800000022", password=PASSWORD)
    saved = SchemaForm(LEAVE, LEAVE_UI, data=SICK_LEAVE, files=files(), owner_id=owner.pk).cleaned_data
    url = f"/forms/uploads/{saved['proof']}/"

    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content) == PDF

    client.force_login(other)
    assert client.get(url).status_code == 404


def test_upload_response_follows_the_callers_decision(clamd, db):
    from django.http import Http404

    saved = SchemaForm(LEAVE, LEAVE_UI, data=SICK_LEAVE, files=files(), owner_id=OWNER).cleaned_data

    assert upload_response(saved["proof"], may_see=lambda info: info.owner_id == OWNER).status_code == 200
    with pytest.raises(Http404):
        upload_response(saved["proof"], may_see=lambda info: False)
    with pytest.raises(Http404):
        upload_response("not-a-uuid", may_see=lambda info: True)


def test_uploads_beyond_the_daily_quota_are_refused(clamd, db, monkeypatch):
    from tongban.schemaforms import services

    monkeypatch.setattr(services, "MAX_UPLOADS_PER_DAY", 1)
    assert SchemaForm(LEAVE, LEAVE_UI, data=SICK_LEAVE, files=files(), owner_id=OWNER).is_valid()

    second = SchemaForm(LEAVE, LEAVE_UI, data=SICK_LEAVE, files=files(), owner_id=OWNER)

    assert second.errors == [("field-proof", "证明材料：您24小时内上传的文件已达1个，请稍后再试")]
    assert FormUpload.objects.count() == 1
