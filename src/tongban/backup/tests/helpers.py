"""A small city to back up, and a scratch database of the same kind to restore it into."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection, connections
from psycopg import sql

from tongban.documents.tests.factories import SealedDocumentFactory
from tongban.licenses import selectors as license_selectors
from tongban.licenses import services as license_services
from tongban.licenses.tests.factories import (
    business_license_type,
    close_application,
    enterprise,
    submitted_application,
)
from tongban.sharing import usage_log

ID_NUMBER = "110101199003074514"
HOLDER_NAME = "云州市青禾餐饮管理有限公司"
USAGE_ROWS = 3


def build_city(department, publish_item) -> dict[str, Any]:
    """Cases (an application through its process, with materials), a license, a sealed document, a
    material holding an ID number, and usage-log rows."""
    item = publish_item(department, serves_legal_persons=True)
    business_license_type(department, item)
    holder = enterprise(name=HOLDER_NAME)
    application_id = submitted_application(item, applicant_id=holder.id)
    close_application(application_id)
    if not license_selectors.licenses_of(holder.id).exists():  # issued on commit in a transactional test
        license_services.issue_license_for_application(application_id=application_id)
    storages["materials"].save("drill/身份证复印件.txt", ContentFile(f"{ID_NUMBER} 张三".encode()))
    document = SealedDocumentFactory()
    for number in range(USAGE_ROWS):
        usage_log.append(
            channel="api",
            client_id=None,
            department_id=department.pk,
            department_name=department.name,
            resource_code="person.basic",
            resource_name="人口基本信息",
            subject_kind="person",
            subject_key=f"key-{number}",
            subject_masked="1101**********4514",
            item_names=["姓名"],
            purpose="marriage-registration",
            case_ref=f"HY-{number}",
            outcome="served",
        )
    return {"holder_id": holder.id, "document_id": document.pk}


@contextlib.contextmanager
def scratch_database(folder: Path) -> Iterator[dict[str, Any]]:
    """A DATABASES entry for a new, empty database of the test database's kind, dropped afterwards."""
    current = connection.settings_dict
    if connection.vendor == "sqlite":
        yield {"ENGINE": current["ENGINE"], "NAME": str(folder / "restored.sqlite3")}
        return
    name = f"restore_drill_{uuid.uuid4().hex[:12]}"
    params = {
        "host": current["HOST"] or None,
        "port": current["PORT"] or None,
        "user": current["USER"] or None,
    }
    admin = {**params, "password": current["PASSWORD"] or None, "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**admin) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield {**current, "NAME": name}
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@contextlib.contextmanager
def connected_to(name: str) -> Iterator[None]:
    """Point the default connection at another database of the same server for a while."""
    default = connections["default"]
    original = default.settings_dict["NAME"]
    default.close()
    default.settings_dict["NAME"] = name
    try:
        yield
    finally:
        default.close()
        default.settings_dict["NAME"] = original


def storage_settings(settings, root: Path) -> dict[str, Path]:
    """Point every stored-file storage at folders under ``root`` (as conftest does per test)."""
    folders = {
        "default": root,
        "public": root / "public",
        "materials": root / "materials",
        "archives": root / "archives",
    }
    settings.STORAGES = {
        **settings.STORAGES,
        **{
            name: {**settings.STORAGES[name], "OPTIONS": {"location": str(path)}}
            for name, path in folders.items()
        },
    }
    return folders
