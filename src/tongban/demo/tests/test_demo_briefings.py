import importlib

import pytest
import time_machine
from django.apps import apps as django_apps

from tongban.briefings.models import Issue, Submission
from tongban.demo.briefings import load_briefings
from tongban.demo.loader import load_accounts, load_organizations

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-12-07 10:00 +0800", tick=False)
def test_demo_briefings_stand_in_every_state_and_load_once():
    importlib.import_module("tongban.briefings.migrations.0002_seed_briefing_roles_and_levels").seed(
        django_apps, None
    )
    departments, _halls = load_organizations()
    load_accounts(departments)
    load_briefings()
    load_briefings()
    assert sorted(Submission.objects.values_list("status", flat=True)) == [
        "adopted",
        "adopted",
        "adopted",
        "rejected",
        "returned",
        "submitted",
    ]
    assert sorted((i.status, i.issue_label) for i in Issue.objects.all()) == [
        ("draft", "（未编号）"),
        ("published", "2026年第1期（总第1期）"),
    ]
    published = Issue.objects.get(status="published")
    assert published.circulations.filter(read_at__isnull=False).count() == 1
    assert published.circulations.count() >= 3
