"""Migration 0007: resident ID numbers already stored in clear in answers are encrypted, with a masked
copy left in the answers (T-M7); reversing it puts them back."""

from importlib import import_module

import pytest
from conftest import PASSWORD
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tongban.accounts.services import ensure_user
from tongban.applications.answers import KEY_SETTING
from tongban.applications.models import Application
from tongban.applications.tests.factories import (
    APPLICANT_ID,
    PERSON_ANSWERS,
    PERSON_SCHEMA,
    PERSON_UI,
    SPOUSE_ID,
    draft_with_materials,
)
from tongban.core import encryption

BEFORE = ("applications", "0006_answer_encryption_and_correction_progress")
AFTER = ("applications", "0007_encrypt_resident_ids_in_answers")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


@pytest.fixture(autouse=True)
def latest_schema_afterwards(transactional_db):
    """Going back to 0006 unapplies every migration that depends on a later one of applications (a
    whole app's tables, e.g. bundles): put them all back for the tests that follow in this process."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def rows(transactional_db, department, publish_item):
    """Two applications as they were before 0007: one with numbers in clear, one without a form."""
    citizen = ensure_user(username="citizen_a", full_name="张三", kind="citizen", password=PASSWORD)
    with_form = publish_item(department, form_schema=PERSON_SCHEMA, ui_schema=PERSON_UI)
    without_form = publish_item(department)
    clear = draft_with_materials(applicant_id=citizen.id, item=with_form)
    other = draft_with_materials(applicant_id=citizen.id, item=without_form)
    Application.objects.filter(pk=clear).update(form_data=PERSON_ANSWERS, encrypted_answers={})
    Application.objects.filter(pk=other).update(form_data={"note": APPLICANT_ID})
    return clear, other


def test_existing_numbers_are_encrypted_and_masked(rows):
    clear, other = rows
    updated_at = Application.objects.get(pk=clear).updated_at
    migrate(BEFORE)
    migrate(AFTER)

    application = Application.objects.get(pk=clear)
    assert application.form_data == PERSON_ANSWERS | {
        "resident_id": "1101**********4514",
        "spouse": {"name": "李四", "resident_id": "4419**********1235"},
    }
    assert {
        path: encryption.decrypt(KEY_SETTING, token) for path, token in application.encrypted_answers.items()
    } == {
        "resident_id": APPLICANT_ID.encode(),
        "spouse.resident_id": SPOUSE_ID.encode(),
    }
    assert application.updated_at == updated_at  # the drafts purge still sees the applicant's last change
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT form_data, encrypted_answers FROM applications_application WHERE id = %s", [clear]
        )
        stored = " ".join(str(value) for value in cursor.fetchone())
    assert APPLICANT_ID not in stored
    assert SPOUSE_ID not in stored
    # Only fields the form defines as resident ID numbers: other answers are left as they are.
    untouched = Application.objects.get(pk=other)
    assert (untouched.form_data, untouched.encrypted_answers) == ({"note": APPLICANT_ID}, {})


def test_running_it_again_changes_nothing(rows):
    clear, _other = rows
    migrate(BEFORE)
    migrate(AFTER)
    first = Application.objects.get(pk=clear)
    # A second run over rows that are already encrypted (as after a partial run) leaves them alone.
    import_module("tongban.applications.migrations.0007_encrypt_resident_ids_in_answers").encrypt_numbers(
        apps, None
    )
    again = Application.objects.get(pk=clear)
    assert (again.form_data, again.encrypted_answers) == (first.form_data, first.encrypted_answers)


def test_reversing_it_puts_the_numbers_back(rows):
    clear, _other = rows
    migrate(BEFORE)
    migrate(AFTER)
    migrate(BEFORE)
    application = Application.objects.get(pk=clear)
    assert (application.form_data, application.encrypted_answers) == (PERSON_ANSWERS, {})
    migrate(AFTER)
