"""Fixtures of the consultation tests: the clock pinned to 1 December 2026 09:00 (Asia/Shanghai), a
publisher and a moderator in the test department, citizens, an open consultation with three sections."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import zoneinfo

import pytest
import time_machine
from conftest import PASSWORD, make_staff
from django.apps import apps as django_apps
from django.test import Client

from tongban.accounts.services import ensure_user
from tongban.accounts.tests.helpers import login_staff
from tongban.consultations.roles import CONSULTATION_MODERATOR, CONSULTATION_PUBLISHER
from tongban.consultations.services import consultations as services
from tongban.consultations.types import ConsultationDraft
from tongban.moderation.selectors import forget_cached_words

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def clock(db):
    importlib.import_module("tongban.consultations.migrations.0002_seed_consultation_roles").seed(
        django_apps, None
    )
    importlib.import_module("tongban.moderation.migrations.0002_seed_sensitive_words").seed(django_apps, None)
    forget_cached_words()
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
    forget_cached_words()


@pytest.fixture
def publisher(department):
    return make_staff("housing_publisher", department, CONSULTATION_PUBLISHER)


@pytest.fixture
def moderator(department):
    return make_staff("housing_moderator", department, CONSULTATION_MODERATOR)


def citizen(phone: str = "13800000009", name: str = "王五"):
    return ensure_user(username=phone, full_name=name, kind="citizen", password=PASSWORD, phone=phone)


@pytest.fixture
def resident(db):
    return citizen()


def client_for(user) -> Client:
    client = Client()
    if getattr(user, "kind", "") == "staff":
        login_staff(client, user)
    else:
        client.login(username=user.username, password=PASSWORD)
    return client


def draft(department, **overrides) -> ConsultationDraft:
    values = {
        "title": "《云州市物业管理条例（征求意见稿）》",
        "summary": "为规范物业管理活动，现公开征求意见。",
        "department_id": department.pk,
        "opens_on": dt.date(2026, 12, 1),
        "closes_on": dt.date(2026, 12, 20),
        "requires_premoderation": False,
    }
    values.update(overrides)
    return ConsultationDraft(**values)


def open_consultation(publisher, department, sections: int = 3, **overrides) -> int:
    consultation_id = services.create_consultation(
        actor_id=publisher.id,
        draft=draft(department, **overrides),
        idempotency_key=hashlib.sha256(repr(overrides).encode()).hexdigest()[:32],
    )
    for number in range(1, sections + 1):
        services.add_section(
            actor_id=publisher.id,
            consultation_id=consultation_id,
            heading=f"第{number}章",
            text=f"第{number}章的条文。",
        )
    services.publish_consultation(actor_id=publisher.id, consultation_id=consultation_id)
    return consultation_id


@pytest.fixture
def consultation(publisher, department) -> int:
    return open_consultation(publisher, department)
