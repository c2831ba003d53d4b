"""Backup and restore (THREATS T-L4 restores and is checked, T-L5 files come back unchanged, T-L6 no
plaintext and nothing restored from an edited backup)."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tongban.backup import crypto, services, stored_files
from tongban.backup.errors import BackupError
from tongban.backup.tests.helpers import (
    ID_NUMBER,
    USAGE_ROWS,
    build_city,
    connected_to,
    scratch_database,
    storage_settings,
)
from tongban.core import audit, audit_chain
from tongban.documents.models import OfficialDocument
from tongban.licenses import selectors as license_selectors
from tongban.licenses import services as license_services
from tongban.sharing import usage_log


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


@pytest.fixture(autouse=True)
def backup_key(settings):
    settings.TONGBAN_BACKUP_KEY = _key()
    return settings.TONGBAN_BACKUP_KEY


@pytest.fixture
def one_file(transactional_db):  # a backup reads committed data only
    storages["materials"].save("case/身份证.txt", ContentFile(f"{ID_NUMBER} 张三".encode()))


@pytest.fixture
def backup(one_file, tmp_path):
    services.create_backup(tmp_path / "backup")
    return tmp_path / "backup"


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump, pg_restore and a second database")
def test_T_L4_drill_restores_a_city_into_a_new_database_with_chains_and_signatures(
    transactional_db, department, publish_item, tmp_path, settings
):
    city = build_city(department, publish_item)
    for n in range(3):  # a staff member looked at the holder's case three times
        audit.record(event="application.viewed", actor_id=None, object_type="application", object_id=n)
    written = services.create_backup(tmp_path / "backup")
    storage_settings(settings, tmp_path / "restored-media")

    with scratch_database(tmp_path) as database, connected_to(database["NAME"]):
        restored = services.restore_backup(tmp_path / "backup", database=database)

        assert restored.tables == written.tables
        assert services.restored_problems(restored, database=database, media=stored_files.locations()) == []
        assert usage_log.verify() == (USAGE_ROWS, None)
        chain = audit_chain.verify(with_checkpoint=False)
        assert chain.problem == ""
        assert chain.checked >= 3  # the audit rows came back as an intact chain
        license_row = license_selectors.licenses_of(city["holder_id"]).get()
        assert license_services.verify_stored(license_row).signature_ok
        assert license_services.verify_pdf(bytes(license_row.pdf)).signature_ok
        document = OfficialDocument.objects.get(pk=city["document_id"])
        assert hashlib.sha256(document.sealed_pdf.read()).hexdigest() == document.sealed_sha256


def test_T_L4_backup_restores_into_a_new_database_and_storage_with_equal_counts_and_hashes(
    transactional_db, department, publish_item, tmp_path
):
    build_city(department, publish_item)
    written = services.create_backup(tmp_path / "backup")
    media = {name: tmp_path / "restored-media" / name for name in stored_files.locations()}

    with scratch_database(tmp_path) as database:
        restored = services.restore_backup(tmp_path / "backup", database=database, media=media)
        counts = services.restored_problems(restored, database=database, media=media)

    assert counts == []
    assert written.tables["licenses_license"] == 1
    assert written.tables["sharing_usagelogentry"] == USAGE_ROWS
    assert {blob.storage for blob in written.files} >= {"default", "materials"}
    assert (media["materials"] / "drill/身份证复印件.txt").read_bytes() == f"{ID_NUMBER} 张三".encode()
    assert written.migrations
    assert written.platform_version


def test_T_L5_a_tampered_stored_file_is_refused_and_named(backup, tmp_path):
    blob = tmp_path / "backup/files/000001.enc"
    data = bytearray(blob.read_bytes())
    data[40] ^= 0x01
    blob.write_bytes(bytes(data))
    media = {name: tmp_path / "restored" / name for name in stored_files.locations()}

    with pytest.raises(BackupError, match=re.escape("materials:case/身份证.txt")):
        services.verify_backup(backup)
    with (
        scratch_database(tmp_path) as database,
        pytest.raises(BackupError, match=re.escape("materials:case/身份证.txt")),
    ):
        services.restore_backup(backup, database=database, media=media)

    assert stored_files.is_empty(media)


def test_T_L5_a_truncated_database_dump_is_refused(backup):
    dump = backup / "database.enc"
    dump.write_bytes(dump.read_bytes()[:-100])

    with pytest.raises(BackupError, match="数据库转储"):
        services.verify_backup(backup)


def test_T_L5_a_swapped_or_edited_manifest_is_refused(backup, tmp_path):
    other = tmp_path / "other"
    services.create_backup(other)
    (backup / "manifest.enc").write_bytes((other / "manifest.enc").read_bytes())
    with pytest.raises(BackupError, match="数据库转储"):  # the manifest names blobs of another backup
        services.verify_backup(backup)

    data = bytearray((backup / "manifest.enc").read_bytes())
    data[-1] ^= 0x01
    (backup / "manifest.enc").write_bytes(bytes(data))
    with pytest.raises(CommandError, match="清单"):
        call_command("backup", verify=backup)


def test_T_L6_the_backup_holds_no_plaintext_personal_data(backup, backup_key):
    raw = b"".join(path.read_bytes() for path in backup.rglob("*") if path.is_file())

    assert ID_NUMBER.encode() not in raw
    assert "张三".encode() not in raw
    assert "身份证".encode() not in raw  # stored files' names are only in the encrypted manifest
    manifest = services.verify_backup(backup)
    plain = io.BytesIO()
    crypto.decrypt_file(
        backup / manifest.files[0].name,
        plain,
        key=base64.b64decode(backup_key),
        aad=manifest.aad(manifest.files[0]),
    )
    assert ID_NUMBER.encode() in plain.getvalue()


def test_T_L6_without_a_key_nothing_is_written(one_file, tmp_path, settings):
    settings.TONGBAN_BACKUP_KEY = ""

    with pytest.raises(CommandError, match="TONGBAN_BACKUP_KEY"):
        call_command("backup", output=tmp_path / "backup")

    assert not (tmp_path / "backup").exists()


def test_T_L6_a_wrong_key_is_refused(backup, tmp_path, settings):
    settings.TONGBAN_BACKUP_KEY = _key()

    with pytest.raises(BackupError, match="密钥不对"):
        services.verify_backup(backup)
    with pytest.raises(CommandError, match="密钥不对"):
        call_command("restore", input=backup)


def test_restore_into_a_database_that_holds_tables_is_refused(backup, tmp_path, settings):
    storage_settings(settings, tmp_path / "empty-media")

    with pytest.raises(CommandError, match="目标数据库不是空的"):
        call_command("restore", input=backup)


def test_restore_into_storage_that_holds_files_is_refused(backup, tmp_path):
    with scratch_database(tmp_path) as database, pytest.raises(BackupError, match="目标文件存储不是空的"):
        services.restore_backup(backup, database=database)


def test_backup_refuses_a_directory_that_holds_files(one_file, tmp_path):
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup/old.txt").write_text("x")

    with pytest.raises(CommandError, match="不是空目录"):
        call_command("backup", output=tmp_path / "backup")


def test_backup_and_verify_commands_report_what_they_hold(one_file, tmp_path):
    out = io.StringIO()
    call_command("backup", output=tmp_path / "backup", stdout=out)
    call_command("backup", verify=tmp_path / "backup", stdout=out)

    assert "已写入" in out.getvalue()
    assert "校验通过" in out.getvalue()
    assert "1 个文件" in out.getvalue()
    assert connection.vendor in {"sqlite", "postgresql"}
