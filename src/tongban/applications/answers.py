"""An application's answers: how they are kept, and how staff see them.

Resident ID numbers inside the answers are kept like the account's (T-M7, T-M3).

The answers (``Application.form_data``) hold a masked copy of every number in a field of format
``resident_id`` (1101**********1234), so every page, sheet or export that prints the answers shows it
masked; the number itself is kept only encrypted, in ``Application.encrypted_answers`` (path → token,
``core.encryption`` under ``TONGBAN_ANSWER_ENCRYPTION_KEY``). It is read back for the applicant's own
form, for results made from the answers (e-licenses), and for staff through the audited 查看完整号码.

Staff see every answer under its label from the form's UI schema, never a field's code name.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from tongban.core import encryption
from tongban.schemaforms import SchemaForm, mask_resident_id

KEY_SETTING = "TONGBAN_ANSWER_ENCRYPTION_KEY"


def _get(answers: Mapping[str, Any], path: str) -> Any:
    value: Any = answers
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _set(answers: dict[str, Any], path: str, value: Any) -> None:
    *parents, key = path.split(".")
    target = answers
    for part in parents:
        target = target[part]
    target[key] = value


def protect(answers: Mapping[str, Any], *, paths: Iterable[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The answers as stored (each resident ID number at ``paths`` replaced by its masked copy) and
    the encrypted numbers by path. Unanswered fields are left as they are."""
    stored = copy.deepcopy(dict(answers))
    encrypted: dict[str, str] = {}
    for path in paths:
        value = _get(stored, path)
        if isinstance(value, str) and value:
            encrypted[path] = encryption.encrypt(KEY_SETTING, value.encode())
            _set(stored, path, mask_resident_id(value))
    return stored, encrypted


def reveal(stored: Mapping[str, Any], encrypted: Mapping[str, str]) -> dict[str, Any]:
    """The answers as the applicant gave them: the stored ones with every encrypted number put back."""
    answers = copy.deepcopy(dict(stored))
    for path in encrypted:
        if _get(answers, path) is not None:
            _set(answers, path, revealed_number(encrypted, path))
    return answers


def revealed_number(encrypted: Mapping[str, str], path: str) -> str:
    """One decrypted number; "" when the field holds none."""
    token = encrypted.get(path)
    return encryption.decrypt(KEY_SETTING, token).decode() if token else ""


@dataclass(frozen=True)
class AnswerRow:
    label: str
    text: str  # as shown: resident ID numbers masked, choices by their labels, dates in Chinese
    path: str = ""
    can_reveal: bool = False  # a resident ID number kept encrypted: 查看完整号码 (audited)
    upload_id: str = ""  # an attachment answered in the form: 下载 (audited)


@dataclass(frozen=True)
class AnswerGroup:
    heading: str  # a nested object's legend; "" for top-level fields
    rows: tuple[AnswerRow, ...]


def answer_groups(
    schema: Mapping[str, Any],
    ui_schema: Mapping[str, Any],
    stored: Mapping[str, Any],
    encrypted: Mapping[str, str],
) -> list[AnswerGroup]:
    """The stored answers as staff read them, in the form's order under the form's labels. An item
    without a form definition has no labels: its answers, if any, are named by their keys."""
    if not schema:
        return (
            [AnswerGroup("", tuple(AnswerRow(label=k, text=str(v)) for k, v in stored.items()))]
            if stored
            else []
        )
    return [
        AnswerGroup(
            heading=section.heading,
            rows=tuple(
                AnswerRow(
                    label=field.label,
                    text=field.answer or _("未填写"),
                    path=field.path,
                    can_reveal=field.path in encrypted,
                    upload_id=field.upload.id if field.upload is not None else "",
                )
                for field in section.fields
            ),
        )
        for section in SchemaForm(schema, ui_schema, initial=stored).answer_sections
    ]


def field_labels(
    schema: Mapping[str, Any], ui_schema: Mapping[str, Any], stored: Mapping[str, Any]
) -> dict[str, str]:
    """The form's top-level fields (what a 补正 can name), name → label in display order: a field's
    ``ui:label``, a nested object's legend. Without a form definition, the answered keys."""
    if not schema:
        return {key: key for key in stored}
    return {field.spec.key: field.label for field in SchemaForm(schema, ui_schema).fields}
