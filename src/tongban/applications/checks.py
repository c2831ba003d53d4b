"""Deploy checks (``manage.py check --deploy``): the key of the resident ID numbers in answers (T-M7)."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured

from tongban.applications.answers import KEY_SETTING
from tongban.core import encryption


def answer_encryption_key(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    try:
        encryption.check_key(KEY_SETTING)
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="applications.E001")]
    return []
