"""常用语: each staff member's own opinion phrases, defaults until they save one."""

import pytest
from conftest import make_staff
from django.urls import reverse

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
