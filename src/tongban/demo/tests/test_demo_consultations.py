"""The demo city's 意见征集 and 在线访谈, loaded twice without duplicates."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.test import override_settings

from tongban.consultations import selectors
from tongban.consultations.models import Comment, Consultation, Interview
from tongban.demo.consultations import load_consultations
from tongban.demo.loader import load_accounts, load_organizations
from tongban.demo.notices import load_notices

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_demo_consultations_load_once():
    for migration in (
        "tongban.consultations.migrations.0002_seed_consultation_roles",
        "tongban.moderation.migrations.0002_seed_sensitive_words",
    ):
        importlib.import_module(migration).seed(django_apps, None)
    departments, _halls = load_organizations()
    load_accounts(departments)
    load_notices()  # marks the general office
    load_consultations()
    load_consultations()

    assert sorted(Consultation.objects.values_list("title", "status")) == [
        ("《云州市住宅专项维修资金管理办法（征求意见稿）》", "result_published"),
        ("《云州市物业管理条例（征求意见稿）》", "published"),
    ]
    open_one = Consultation.objects.get(status="published")
    assert open_one.phase == "open"
    assert open_one.sections.count() == 7
    assert sorted(Comment.objects.filter(consultation=open_one).values_list("status", flat=True)) == [
        "held",
        "published",
        "published",
        "published",
        "published",
        "published",
    ]
    assert Comment.objects.filter(consultation=open_one).exclude(answer="").count() == 2
    masked = Comment.objects.get(idempotency_key="demo-p5")
    assert "138****5678" in masked.public_body
    closed = Consultation.objects.get(status="result_published")
    counts = selectors.result_counts(closed.pk)
    assert (counts.comments, counts.adopted, counts.partly, counts.not_adopted) == (4, 2, 1, 1)
    upcoming, past = selectors.public_interviews()
    assert [i.title for i in upcoming] == ["聚焦2027年老旧小区改造"]
    assert [i.title for i in past] == ["保障性住房申请政策解读"]
    assert Comment.objects.filter(interview=upcoming[0], status="held").count() == 1
    assert [q.answer != "" for q in selectors.published_questions(past[0].pk)] == [True, True]
    assert Interview.objects.get(pk=past[0].pk).transcript.startswith("主持人")
    assert Comment.objects.count() == 15
