"""常用语: each staff member's own opinion phrases, defaults until they save one."""

import io

import pytest
from conftest import make_staff
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tongban.accounts.tests.helpers import login_staff
from tongban.workflow import phrases
from tongban.workflow.errors import WorkflowError

pytestmark = pytest.mark.django_db


def test_defaults_until_the_first_own_phrase_then_only_own_ones(department):
    clerk = make_staff("clerk", department, "clerk")
    assert phrases.phrases_of(clerk.id) == list(phrases.DEFAULT_PHRASES)
    phrases.add_phrase(user_id=clerk.id, text="  材料齐全，  予以受理。 ")
    phrases.add_phrase(user_id=clerk.id, text="材料齐全， 予以受理。")  # the same text once
    assert phrases.phrases_of(clerk.id) == ["材料齐全， 予以受理。"]


def test_an_empty_or_overlong_phrase_is_refused(department):
    clerk = make_staff("clerk", department, "clerk")
    with pytest.raises(WorkflowError, match="请输入常用语"):
        phrases.add_phrase(user_id=clerk.id, text="   ")
    with pytest.raises(WorkflowError, match="不能超过200字"):
        phrases.add_phrase(user_id=clerk.id, text="长" * 201)
    assert phrases.own_phrases(clerk.id) == []


def test_nobody_deletes_someone_elses_phrase(department):
    first, second = (make_staff(name, department, "clerk") for name in ("first", "second"))
    phrase_id = phrases.add_phrase(user_id=first.id, text="同意受理。")
    phrases.delete_phrase(user_id=second.id, phrase_id=phrase_id)
    assert phrases.phrases_of(first.id) == ["同意受理。"]
    phrases.delete_phrase(user_id=first.id, phrase_id=phrase_id)
    assert phrases.own_phrases(first.id) == []


def test_the_page_adds_and_refuses_with_a_message(client, department):
    login_staff(client, make_staff("clerk", department, "clerk"))
    assert client.post(reverse("workflow:phrases"), {"text": "经审查，符合条件。"}).status_code == 302
    refused = client.post(reverse("workflow:phrases"), {"text": ""})
    assert refused.status_code == 400
    assert "请输入常用语" in refused.content.decode()
    assert "经审查，符合条件。" in client.get(reverse("workflow:phrases")).content.decode()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), (20, 20, 120)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_signature_image_is_kept_re_encoded_and_only_its_owner_sees_it(client, department):
    owner = make_staff("approver", department, "approver")
    login_staff(client, owner)
    upload = SimpleUploadedFile("签名.png", _png() + b"<script>alert(1)</script>", content_type="image/png")
    assert client.post(reverse("workflow:signature"), {"image": upload}).status_code == 302
    stored = phrases.signatures_of({owner.id})[owner.id]
    assert stored.startswith(b"\x89PNG")
    assert b"<script" not in stored  # re-encoded: nothing after the image survives (T-C1)
    assert client.get(reverse("workflow:signature_image")).content == stored

    other = make_staff("clerk", department, "clerk")
    login_staff(client, other)
    assert client.get(reverse("workflow:signature_image")).status_code == 404


def test_a_signature_that_is_not_an_image_is_refused_with_the_reason(client, department):
    login_staff(client, make_staff("approver", department, "approver"))
    upload = SimpleUploadedFile("签名.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = client.post(reverse("workflow:signature"), {"image": upload})
    assert response.status_code == 400
    assert "<title>错误：" in response.content.decode()
    assert phrases.signatures_of(set()) == {}
