"""The usage log cannot be rewritten by the application's role, and a chain recomputed from seq 1 over
forged rows fails against a checkpoint signed outside the database (T-E3)."""

import dataclasses
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tongban.core.signing import get_signer
from tongban.core.tests.db_roles import refused
from tongban.sharing import usage_log
from tongban.sharing.models import UsageChainHead, UsageLogEntry
from tongban.sharing.types import Checkpoint
from tongban.sharing.usage_log import GENESIS, HASHED_FIELDS, row_hash

from .test_usage_log import five_rows, two_chains  # noqa: F401  (the fixtures)

APP_ROLE = "tongban_test_log_writer"


@pytest.fixture
def checkpoint_key():
    return get_signer().generate_key()


def rewrite_whole_chain(purpose: str) -> None:
    """What an attacker with write access and the (public) algorithm does: forge every row and recompute
    every hash and the head, so the chain alone verifies."""
    prev = GENESIS
    for row in UsageLogEntry.objects.order_by("seq"):
        row.purpose = purpose
        row.prev_hash, row.hash = prev, row_hash(prev, {name: getattr(row, name) for name in HASHED_FIELDS})
        row.save(update_fields=["purpose", "prev_hash", "hash"])
        prev = row.hash
    UsageChainHead.objects.filter(pk=1).update(hash=prev)


def test_T_E3_chain_recomputed_from_seq_1_fails_against_the_signed_checkpoint(
    five_rows,  # noqa: F811
    checkpoint_key,
    tmp_path,
):
    checkpoint = usage_log.sign_checkpoint(private_key_ref=checkpoint_key.private_key_ref)
    assert (checkpoint.seq, checkpoint.hash) == (5, UsageLogEntry.objects.get(seq=5).hash)
    assert usage_log.verify_checkpoint(checkpoint, public_key_pem=checkpoint_key.public_key_pem) is None

    rewrite_whole_chain("forged")
    assert usage_log.verify() == (5, None)  # the chain alone no longer tells
    problem = usage_log.verify_checkpoint(checkpoint, public_key_pem=checkpoint_key.public_key_pem)
    assert (problem.seq, problem.problem) == (5, "与已签名的检查点不符（记录链被整体重算）")

    (tmp_path / "checkpoint.json").write_text(json.dumps(dataclasses.asdict(checkpoint)))
    (tmp_path / "public.pem").write_text(checkpoint_key.public_key_pem)
    with pytest.raises(CommandError, match="第 5 条有问题：与已签名的检查点不符"):
        call_command(
            "verify_usage_log",
            checkpoint=tmp_path / "checkpoint.json",
            public_key=tmp_path / "public.pem",
        )


def test_T_E3_checkpoint_forged_along_with_the_chain_fails_its_signature(five_rows, checkpoint_key):  # noqa: F811
    checkpoint = usage_log.sign_checkpoint(private_key_ref=checkpoint_key.private_key_ref)
    rewrite_whole_chain("forged")
    forged = dataclasses.replace(checkpoint, hash=UsageChainHead.objects.get().hash)
    other_key = get_signer().generate_key()  # the attacker's own key is not the trusted one
    resigned = usage_log.sign_checkpoint(private_key_ref=other_key.private_key_ref)
    for candidate in (forged, resigned):
        problem = usage_log.verify_checkpoint(candidate, public_key_pem=checkpoint_key.public_key_pem)
        assert (problem.seq, problem.problem) == (5, "检查点签名无效（检查点被伪造或公钥不符）")


def test_sign_usage_checkpoint_prints_a_checkpoint_the_verifier_accepts(
    five_rows,  # noqa: F811
    checkpoint_key,
    tmp_path,
    capsys,
):
    (tmp_path / "key.ref").write_text(checkpoint_key.private_key_ref)
    call_command("sign_usage_checkpoint", key_ref=tmp_path / "key.ref")
    printed = json.loads(capsys.readouterr().out)
    assert printed["seq"] == 5
    checkpoint = Checkpoint(**printed)
    assert usage_log.verify_checkpoint(checkpoint, public_key_pem=checkpoint_key.public_key_pem) is None


def _ensure_role(cursor) -> None:
    """The restricted role, created if missing (roles are cluster-wide; runs twice without harm)."""
    cursor.execute(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN "
        f"CREATE ROLE {APP_ROLE} NOLOGIN; END IF; END $$"
    )
    # What a deployment grants the application on every table, before the log is restricted.
    cursor.execute(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}")
    cursor.execute(f"GRANT ALL ON sharing_usagelogentry, sharing_usagechainhead TO {APP_ROLE}")


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL roles")
def test_T_E3_app_role_cannot_update_delete_or_truncate_the_log(five_rows):  # noqa: F811
    with connection.cursor() as cursor:
        _ensure_role(cursor)
        with pytest.raises(CommandError, match="角色持有 UPDATE 权限"):
            call_command("restrict_usage_log_role", role=APP_ROLE, check=True)
        call_command("restrict_usage_log_role", role=APP_ROLE)
        call_command("restrict_usage_log_role", role=APP_ROLE)  # twice: the same result
        call_command("restrict_usage_log_role", role=APP_ROLE, check=True)

        cursor.execute(f"SET ROLE {APP_ROLE}")
        try:
            for statement in (
                "UPDATE sharing_usagelogentry SET purpose = 'x' WHERE seq = 3",
                "DELETE FROM sharing_usagelogentry WHERE seq = 3",
                "TRUNCATE sharing_usagelogentry",
            ):
                assert "permission denied" in refused(cursor, statement)
            # Adding and reading still work as the role: the exchange keeps logging.
            assert (
                usage_log.append(
                    channel="api",
                    client_id=None,
                    department_id=None,
                    department_name="测试",
                    resource_code="person.basic",
                    resource_name="人口基本信息",
                    subject_kind="person",
                    subject_key="k",
                    subject_masked="m",
                    item_names=[],
                    purpose="角色测试",
                    case_ref="",
                    outcome="refused",
                )
                == 6
            )
            assert usage_log.verify() == (6, None)
        finally:
            cursor.execute("RESET ROLE")
    assert list(UsageLogEntry.objects.values_list("purpose", flat=True)) == ["marriage-registration"] * 5 + [
        "角色测试"
    ]


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL roles")
def test_restrict_usage_log_role_refuses_a_superuser(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (superuser,) = cursor.fetchone()
    with pytest.raises(CommandError, match="超级用户"):
        call_command("restrict_usage_log_role", role=superuser, check=True)


def test_T_E3_checkpoint_covers_every_chain(two_chains, checkpoint_key):  # noqa: F811
    checkpoint = usage_log.sign_checkpoint(private_key_ref=checkpoint_key.private_key_ref)
    assert [list(head) for head in checkpoint.chains] == [[2, 3, UsageChainHead.objects.get(pk=2).hash]]
    assert usage_log.verify_checkpoint(checkpoint, public_key_pem=checkpoint_key.public_key_pem) is None

    prev = usage_log.genesis(2)  # chain 2 forged and recomputed; chain 1 untouched
    for row in UsageLogEntry.objects.filter(chain=2).order_by("seq"):
        row.purpose, row.prev_hash = "forged", prev
        row.hash = row_hash(prev, {name: getattr(row, name) for name in HASHED_FIELDS})
        row.save(update_fields=["purpose", "prev_hash", "hash"])
        prev = row.hash
    UsageChainHead.objects.filter(pk=2).update(hash=prev)
    assert usage_log.verify() == (8, None)
    problem = usage_log.verify_checkpoint(checkpoint, public_key_pem=checkpoint_key.public_key_pem)
    assert (problem.chain, problem.seq, problem.problem) == (2, 3, "与已签名的检查点不符（记录链被整体重算）")
