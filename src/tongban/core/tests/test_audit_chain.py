"""The audit log is a hash chain (T-J1): verify_audit names an edited, deleted or reordered row, a chain
recomputed over forged rows fails against the signed checkpoint written off the database host, the
retention purge cuts only expired rows from the start and verification still passes, and the
application's database role may only add and read."""

import dataclasses
import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from tongban.core import audit, audit_chain, hash_chain
from tongban.core.audit import HASHED_FIELDS, LOG
from tongban.core.models import AuditChainHead, AuditEvent
from tongban.core.signing import get_signer
from tongban.core.tasks import audit_checkpoint
from tongban.core.tests.db_roles import refused

APP_ROLE = "tongban_test_audit_writer"


@pytest.fixture(autouse=True)
def _no_cached_state():
    cache.delete(audit_chain.STATE_CACHE_KEY)


def rows(*object_types: str) -> None:
    for n, object_type in enumerate(object_types):
        audit.record(event="login", actor_id=n + 1, object_type=object_type, object_id=n, ip="2001:DB8::1")


@pytest.fixture
def five_rows(db):
    rows("user", "user", "user", "user", "user")


@pytest.fixture
def checkpoints(settings, tmp_path):
    """A checkpoint key (private half and public half in files) and a checkpoint directory."""
    key = get_signer().generate_key()
    (tmp_path / "key").write_text(key.private_key_ref)
    (tmp_path / "key.pub").write_text(key.public_key_pem)
    settings.TONGBAN_AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")
    settings.TONGBAN_AUDIT_CHECKPOINT_KEY_FILE = str(tmp_path / "key")
    settings.TONGBAN_AUDIT_CHECKPOINT_PUBLIC_KEY_FILE = str(tmp_path / "key.pub")
    return tmp_path / "checkpoints"


def bad_seq() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    return str(failure.value).split("first bad seq: ")[1]


def test_the_chain_verifies_and_the_state_is_remembered(five_rows):
    call_command("verify_audit")
    state = audit_chain.last_state()
    assert (state.checked, state.seq, state.problem) == (5, 5, "")
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == [1, 2, 3, 4, 5]


def test_T_J1_verify_audit_names_an_edited_row(five_rows):
    AuditEvent.objects.filter(seq=3).update(reason="nothing happened")
    assert bad_seq() == "3"
    assert audit_chain.last_state().problem_seq == 3


def test_T_J1_verify_audit_names_a_deleted_row(five_rows):
    AuditEvent.objects.filter(seq=3).delete()
    assert bad_seq() == "4"


def test_T_J1_verify_audit_names_reordered_rows(five_rows):
    AuditEvent.objects.filter(seq=2).update(seq=-2)
    AuditEvent.objects.filter(seq=3).update(seq=2)
    AuditEvent.objects.filter(seq=-2).update(seq=3)
    assert bad_seq() == "2"


def test_T_J1_verify_audit_names_a_truncated_tail(five_rows):
    AuditEvent.objects.filter(seq=5).delete()
    assert bad_seq() == "5"


def rewrite_whole_chain(reason: str) -> None:
    prev = LOG.genesis(1)
    for row in AuditEvent.objects.order_by("seq"):
        row.reason = reason
        row.prev_hash = prev
        row.hash = hash_chain.row_hash(
            prev, {name: getattr(row, name) for name in HASHED_FIELDS}, HASHED_FIELDS
        )
        row.save(update_fields=["reason", "prev_hash", "hash"])
        prev = row.hash
    AuditChainHead.objects.filter(pk=1).update(hash=prev)


def test_T_J1_a_recomputed_chain_fails_against_the_checkpoint_written_off_the_database(
    five_rows, checkpoints
):
    call_command("audit_checkpoint")
    assert len(list(checkpoints.glob("*.json"))) == 1
    call_command("verify_audit")
    assert audit_chain.last_state().checkpoint
    rewrite_whole_chain("forged")
    assert hash_chain.verify(LOG) == (5, None)  # the chain alone no longer tells
    assert bad_seq() == "5"


def test_the_periodic_checkpoint_is_idempotent(five_rows, checkpoints):
    first = audit_checkpoint()
    assert audit_checkpoint() == first  # nothing added: the same file
    assert len(list(checkpoints.glob("*.json"))) == 1
    rows("user")
    assert audit_checkpoint()["checkpoint"] != first["checkpoint"]
    assert len(list(checkpoints.glob("*.json"))) == 2
    signed = json.loads(sorted(checkpoints.glob("*.json"))[-1].read_text())
    assert signed["seq"] == 6


def test_the_purge_cuts_expired_rows_from_the_start_and_verification_still_passes(db, checkpoints):
    rows("user", "user", "user", "application", "user")
    later = timezone.now() + dt.timedelta(days=181)
    assert audit_chain.purge(now=later)[0] == 3  # the case row and what follows it stay
    assert list(AuditEvent.objects.values_list("seq", flat=True).order_by("seq")) == [4, 5]
    call_command("verify_audit")
    assert audit_chain.last_state().checkpoint
    assert audit_chain.purge(now=later)[0] == 0  # twice: nothing more
    rows("user", "user")
    call_command("verify_audit")
    AuditEvent.objects.filter(seq=6).delete()  # a deletion in the middle is still found
    assert bad_seq() == "7"


def test_a_purge_beyond_the_signed_start_is_found(db, checkpoints):
    rows("user", "user", "user")
    call_command("audit_checkpoint")
    # The database superuser deletes the first rows and moves the chain's start to hide it.
    first = AuditEvent.objects.get(seq=1)
    AuditEvent.objects.filter(seq=1).delete()
    AuditChainHead.objects.filter(pk=1).update(start_seq=2, start_hash=first.hash)
    assert hash_chain.verify(LOG) == (2, None)
    assert bad_seq() == "1"  # the signed start


def test_the_whole_chain_can_expire(db, checkpoints):
    rows("user", "user")
    assert audit_chain.purge(now=timezone.now() + dt.timedelta(days=181))[0] == 2
    call_command("verify_audit")
    rows("user")
    call_command("verify_audit")
    assert AuditEvent.objects.get().seq == 3


def test_case_rows_are_kept_for_the_case_retention_period(db, checkpoints):
    rows("application", "user")
    assert audit_chain.purge(now=timezone.now() + dt.timedelta(days=3000))[0] == 0
    assert audit_chain.purge(now=timezone.now() + dt.timedelta(days=3651))[0] == 2


def test_a_retention_below_180_days_is_refused(db, settings, checkpoints):
    settings.TONGBAN_AUDIT_RETENTION_DAYS = 179
    with pytest.raises(ImproperlyConfigured):
        audit_chain.retention_days()
    with pytest.raises(CommandError, match="at least 180"):
        call_command("purge_audit")


def test_the_purge_needs_the_checkpoint_key(db, settings):
    rows("user")
    settings.TONGBAN_AUDIT_CHECKPOINT_DIR = ""
    with pytest.raises(CommandError):
        call_command("purge_audit")
    assert AuditEvent.objects.count() == 1


def test_checkpoint_json_round_trips(five_rows, checkpoints):
    path = audit_chain.write_checkpoint()
    loaded = audit_chain.latest_checkpoint()
    assert loaded[0] == path
    assert dataclasses.asdict(loaded[1])["starts"] == [[1, 1, LOG.genesis(1)]]


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL roles")
def test_T_J1_the_restricted_role_cannot_update_or_delete_audit_rows_but_adds_them(five_rows):
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN "
            f"CREATE ROLE {APP_ROLE} NOLOGIN; END IF; END $$"
        )
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}")
        cursor.execute(f"GRANT ALL ON {table}, core_auditchainhead, sharing_usagelogentry TO {APP_ROLE}")
        with pytest.raises(CommandError, match="UPDATE"):
            call_command("restrict_db_role", APP_ROLE, check=True)
        call_command("restrict_db_role", APP_ROLE)
        call_command("restrict_db_role", APP_ROLE, check=True)
        cursor.execute(f"SET ROLE {APP_ROLE}")
        try:
            for statement in (
                f"UPDATE {table} SET reason = 'x' WHERE seq = 3",  # noqa: S608
                f"DELETE FROM {table} WHERE seq = 3",  # noqa: S608
                f"TRUNCATE {table}",
                "DELETE FROM sharing_usagelogentry",
            ):
                assert "permission denied" in refused(cursor, statement)
            audit.record(event="login", actor_id=9, object_type="user", object_id=9)
            assert hash_chain.verify(LOG) == (6, None)
        finally:
            cursor.execute("RESET ROLE")
    assert AuditEvent.objects.count() == 6
