"""Drafts are not kept for ever: the periodic purge deletes those untouched for the retention period,
with their uploaded files, and nothing else (THREATS T-M4, T-M6)."""

import datetime as dt
import os

import pytest
import time_machine
from django.core.management import call_command

from tongban.accounts.services import ensure_user
from tongban.applications import services, tasks
from tongban.applications.models import Application, MaterialFile
from tongban.applications.tests.factories import draft_with_materials
from tongban.core.calendar import seed_year

STARTED = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _scan_with_clamd(clamd):
    """Every upload here goes through the real clamd."""


@pytest.fixture
def item(department, publish_item):
    seed_year(2026)
    return publish_item(department)


@pytest.fixture
def citizen(db):
    return ensure_user(username="citizen_a", full_name="张三", kind="citizen", password="x-Unused-Pass-1")


@pytest.fixture
def old_draft(citizen, item):
    with time_machine.travel(STARTED, tick=False):
        application_id = draft_with_materials(
            applicant_id=citizen.id, item=item, answers={"full_name": "张三"}
        )
    return application_id


def test_draft_older_than_the_retention_period_is_gone_after_the_purge(
    old_draft, settings, django_capture_on_commit_callbacks
):
    settings.TONGBAN_DRAFT_RETENTION_DAYS = 30
    paths = [material.file.path for material in MaterialFile.objects.filter(application_id=old_draft)]
    assert len(paths) == 1
    assert os.path.exists(paths[0])

    with (
        time_machine.travel(STARTED + dt.timedelta(days=30, minutes=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.purge_expired_drafts.delay().get() == 1

    assert not Application.objects.filter(pk=old_draft).exists()
    assert not MaterialFile.objects.filter(application_id=old_draft).exists()
    assert [path for path in paths if os.path.exists(path)] == []


def test_draft_within_the_retention_period_is_kept(old_draft, settings):
    settings.TONGBAN_DRAFT_RETENTION_DAYS = 30
    with time_machine.travel(STARTED + dt.timedelta(days=29, hours=23), tick=False):
        assert services.purge_expired_drafts() == 0
    assert Application.objects.filter(pk=old_draft).exists()
    assert MaterialFile.objects.filter(application_id=old_draft).count() == 1


def test_saving_a_draft_restarts_its_retention_period(old_draft, citizen, settings):
    settings.TONGBAN_DRAFT_RETENTION_DAYS = 30
    with time_machine.travel(STARTED + dt.timedelta(days=20), tick=False):
        services.save_answers(
            application_id=old_draft, applicant_id=citizen.id, answers={"full_name": "张三丰"}
        )
    with time_machine.travel(STARTED + dt.timedelta(days=31), tick=False):
        assert services.purge_expired_drafts() == 0
    assert Application.objects.get(pk=old_draft).form_data == {"full_name": "张三丰"}


def test_submitted_applications_are_never_purged(old_draft, citizen, settings):
    settings.TONGBAN_DRAFT_RETENTION_DAYS = 30
    with time_machine.travel(STARTED + dt.timedelta(minutes=5), tick=False):
        receipt = services.submit_application(application_id=old_draft, applicant_id=citizen.id)
    with time_machine.travel(STARTED + dt.timedelta(days=400), tick=False):
        assert services.purge_expired_drafts() == 0
    assert Application.objects.get(pk=old_draft).number == receipt.number


def test_purge_is_safe_to_run_twice(old_draft, settings, capsys):
    settings.TONGBAN_DRAFT_RETENTION_DAYS = 30
    with time_machine.travel(STARTED + dt.timedelta(days=31), tick=False):
        call_command("purge_expired_drafts")
        call_command("purge_expired_drafts")
    assert capsys.readouterr().out == "1 drafts purged\n0 drafts purged\n"
    assert not Application.objects.exists()


def test_the_purge_is_scheduled_with_celery_beat(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["purge-expired-drafts"]
    assert schedule["task"] == tasks.purge_expired_drafts.name == "applications.purge_expired_drafts"
