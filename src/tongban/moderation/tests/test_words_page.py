"""The 敏感词库 page: city administrators only (others: 404, audited); add (validated, unique regardless
of case, errors shown), search, remove; each change audited and seen at once by the checks."""

import importlib

import pytest
from conftest import make_staff
from django.apps import apps as django_apps
from django.test import Client

from tongban.accounts.tests.helpers import login_staff, summary_errors
from tongban.core.models import AuditEvent
from tongban.moderation.models import SensitiveWord
from tongban.moderation.selectors import blocking_words, forget_cached_words

pytestmark = pytest.mark.django_db
PAGE = "/staff/sensitive-words/"


@pytest.fixture(autouse=True)
def _fresh_list():
    # The seeded words, also after a transactional test elsewhere flushed the table (PostgreSQL runs).
    importlib.import_module("tongban.moderation.migrations.0002_seed_sensitive_words").seed(django_apps, None)
    forget_cached_words()
    yield
    forget_cached_words()


@pytest.fixture
def admin(department):
    client = Client()
    user = make_staff("city_admin", department, "city_admin")
    login_staff(client, user)
    client.user = user
    return client


def test_only_city_administrators_open_the_page(department):
    client = Client()
    user = make_staff("department_admin", department, "department_admin")
    login_staff(client, user)
    assert client.get(PAGE).status_code == 404
    assert client.post(PAGE, {"word": "新词", "category": "abuse", "action": "block"}).status_code == 404
    assert not SensitiveWord.objects.filter(word="新词").exists()
    assert AuditEvent.objects.filter(event="moderation.words", actor_id=user.id, result="denied").count() == 2


def test_an_added_word_blocks_at_once_and_is_audited(admin, django_capture_on_commit_callbacks):
    assert blocking_words("请联系黑中介") == []
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(PAGE, {"word": " 黑中介 ", "category": "advertising", "action": "block"})
    assert response.status_code == 302
    word = SensitiveWord.objects.get(word="黑中介")
    assert (word.category, word.action) == ("advertising", "block")
    assert blocking_words("请联系黑中介") == ["黑中介"]
    assert AuditEvent.objects.filter(event="moderation.word.add", object_id=str(word.pk)).count() == 1


def test_a_duplicate_is_refused_with_a_message(admin):
    count = SensitiveWord.objects.count()
    response = admin.post(PAGE, {"word": "王八蛋", "category": "abuse", "action": "review"})
    assert response.status_code == 400
    assert summary_errors(response) == ["敏感词“王八蛋”已在词库中"]
    response = admin.post(PAGE, {"word": "SPAM", "category": "abuse", "action": "review"})
    assert response.status_code == 302
    response = admin.post(PAGE, {"word": "spam", "category": "abuse", "action": "review"})
    assert summary_errors(response) == ["敏感词“spam”已在词库中"]
    assert SensitiveWord.objects.count() == count + 1


def test_missing_answers_are_named(admin):
    response = admin.post(PAGE, {"word": "", "category": "", "action": "block"})
    assert summary_errors(response) == ["请输入敏感词"]
    response = admin.post(PAGE, {"word": "新词", "category": "", "action": "block"})
    assert summary_errors(response) == ["请选择类别"]
    response = admin.post(PAGE, {"word": "x" * 51, "category": "abuse", "action": "block"})
    assert summary_errors(response) == ["敏感词不能超过50个字"]


def test_search_and_remove(admin, django_capture_on_commit_callbacks):
    page = admin.get(PAGE, {"q": "刻章"}).content.decode()
    assert "办证刻章" in page
    assert "王八蛋" not in page
    word = SensitiveWord.objects.get(word="办证刻章")
    assert blocking_words("办证刻章") == ["办证刻章"]
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(f"{PAGE}{word.pk}/remove/").status_code == 302
    assert not SensitiveWord.objects.filter(word="办证刻章").exists()
    assert blocking_words("办证刻章") == []
    assert AuditEvent.objects.filter(event="moderation.word.remove", object_id=str(word.pk)).count() == 1
    assert admin.post(f"{PAGE}{word.pk}/remove/").status_code == 302  # a retry changes nothing
