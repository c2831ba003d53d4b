"""Process definitions: upload (validated), the shipped ones, the current version of a key."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from tongban.workflow.errors import DefinitionError, TaskConflict, WorkflowError
from tongban.workflow.models import ProcessDefinition, ProcessFamily
from tongban.workflow.selectors import SHIPPED_DIR
from tongban.workflow.validation import (
    CalledProcess,
    ValidatedDefinition,
    ViewOnlyDefinition,
    validate_definition,
    validate_for_viewing,
)

KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
SHIPPED_KEYS = ("standard", "instant", "joint_startup", "sequential_decision")


def called_process(key: str) -> CalledProcess | None:
    """The current version of ``key``, for a call activity naming it (None: no such process). Its
    file is embedded in the caller's version when the caller is published: a later version of the
    child reaches callers when they are published again."""
    definition = ProcessDefinition.objects.filter(key=key).order_by("-version").first()
    if definition is None and key in SHIPPED_KEYS:
        install_shipped_definitions()
        definition = ProcessDefinition.objects.filter(key=key).order_by("-version").first()
    if definition is None:
        return None
    return CalledProcess(
        key=key,
        name=definition.name,
        process_id=definition.process_id,
        bpmn_xml=definition.bpmn_xml,
        is_runnable=definition.is_runnable,
    )


def _kept_fields(checked: ValidatedDefinition | ViewOnlyDefinition) -> dict[str, Any]:
    if isinstance(checked, ValidatedDefinition):
        return {
            "spec": checked.spec,
            "steps": [step.__dict__ for step in checked.steps],
            "lanes": checked.lanes,
            "is_runnable": True,
            "refusals": [],
        }
    return {
        "spec": "",
        "steps": [step.__dict__ for step in checked.outline],
        "lanes": [],
        "is_runnable": False,
        "refusals": checked.refusals,
    }


def check_definition(data: bytes, *, key: str, family: str) -> ValidatedDefinition:
    """检查 in the designer: the validation an upload of ``data`` as ``key`` in ``family`` would
    run (the family's step kinds, call activities resolved to their current versions), storing
    nothing. Raises DefinitionError with every problem."""
    return validate_definition(data, key=key, called=called_process, family=family)


def _store_definition(
    *,
    key: str,
    data: bytes,
    uploaded_by_id: int | None,
    is_shipped: bool,
    view_only_if_not_runnable: bool = False,
    family: str = ProcessFamily.APPLICATION,
    region_id: int | None = None,
) -> ProcessDefinition:
    validate = validate_for_viewing if view_only_if_not_runnable else validate_definition
    checked = validate(data, key=key, called=called_process, family=family)
    if isinstance(checked, ViewOnlyDefinition) and (
        key in SHIPPED_KEYS or ProcessDefinition.objects.filter(key=key, is_runnable=True).exists()
    ):
        # A view-only version on top of a runnable one would stop every item bound to the key.
        refused = _("流程“%(key)s”已有可运行的版本，不能再上传仅供查看的版本；请换用新的流程标识") % {
            "key": key
        }
        raise DefinitionError(
            "；".join([refused, *checked.refusals]),
            code="view_only_over_runnable",
            details=[refused, *checked.refusals],
        )
    previous = ProcessDefinition.objects.filter(key=key).order_by("-version").first()
    if (
        previous is not None
        and isinstance(checked, ValidatedDefinition)
        and previous.sha256 == hashlib.sha256(data).hexdigest()
        and previous.spec == checked.spec
    ):
        return previous  # the same file, calling the same versions: nothing new
    latest = ProcessDefinition.objects.filter(key=key).aggregate(v=Max("version"))["v"] or 0
    try:
        with transaction.atomic():
            return ProcessDefinition.objects.create(
                key=key,
                version=latest + 1,
                name=checked.name,
                process_id=checked.process_id,
                bpmn_xml=data.decode("utf-8"),
                sha256=hashlib.sha256(data).hexdigest(),
                is_shipped=is_shipped,
                uploaded_by_id=uploaded_by_id,
                family=family,
                # A key's versions stay in the region of its first (issue 20).
                region_id=previous.region_id if previous is not None else region_id,
                **_kept_fields(checked),
            )
    except IntegrityError as exc:
        raise TaskConflict(_("另一人同时上传了该流程的新版本，请刷新后重试"), code="version_race") from exc


def upload_definition(
    *,
    key: str,
    data: bytes,
    uploaded_by_id: int,
    view_only_if_not_runnable: bool = False,
    family: str = ProcessFamily.APPLICATION,
    region_id: int | None = None,
) -> int:
    """Keep an uploaded (or, from the designer, published) BPMN file as the next version of ``key``
    in ``family`` (``ProcessFamily``: an application's steps need a step kind with an application
    meaning); return its id.

    The file is validated first (``validation``): anything refused raises DefinitionError naming
    every reason (``details``), and nothing is stored. With ``view_only_if_not_runnable`` (the
    uploader's explicit choice, issue 8) a model the platform will not run but can draw is kept as
    a view-only version instead, with those reasons; not under a key that has a runnable version
    (or a shipped key), since that would stop the items bound to it. Running instances keep their
    version. Uploading the same file as the latest version again stores nothing and returns that
    version (a view-only one only when view-only was asked for), unless a process it calls has a
    new version since: then the file is stored again with that version embedded.
    """
    if not KEY.fullmatch(key):  # str.isalnum() would take 请假: keys are ASCII slugs
        raise DefinitionError(_("流程标识只能包含字母、数字、下划线和连字符"), code="bad_key")
    if family not in ProcessFamily.values:
        raise DefinitionError(_("请选择流程类别"), code="bad_family")
    latest = ProcessDefinition.objects.filter(key=key).order_by("-version").first()
    if (
        latest
        and latest.family == family
        and latest.sha256 == hashlib.sha256(data).hexdigest()
        and (latest.is_runnable or view_only_if_not_runnable)
        # With call activities the same file embeds the called processes' current versions:
        # publishing it again picks up their new versions (``_store_definition`` compares specs).
        and b"callActivity" not in data
    ):
        return latest.pk
    stored = _store_definition(
        key=key,
        data=data,
        uploaded_by_id=uploaded_by_id,
        is_shipped=False,
        view_only_if_not_runnable=view_only_if_not_runnable,
        family=family,
        region_id=region_id,
    )
    return stored.pk


def install_shipped_definitions() -> list[int]:
    """Store the platform's own definitions (``shipped/*.bpmn``) where the file changed since the
    latest stored version. Idempotent: a second call stores nothing."""
    stored = []
    for key in SHIPPED_KEYS:
        data = (SHIPPED_DIR / f"{key}.bpmn").read_bytes()
        latest = ProcessDefinition.objects.filter(key=key, is_shipped=True).order_by("-version").first()
        if latest is None or latest.sha256 != hashlib.sha256(data).hexdigest():
            stored.append(_store_definition(key=key, data=data, uploaded_by_id=None, is_shipped=True).pk)
    return stored


def install_definition(*, key: str, data: bytes, family: str) -> int:
    """Keep a model that ships with the platform or its demo (not uploaded by anyone) as the next
    version of ``key`` in ``family`` when the file changed since the latest version; returns the id
    of the latest version. Idempotent. Validated like an upload (DefinitionError)."""
    if family not in ProcessFamily.values:
        raise DefinitionError(_("流程类别须为办件、内部事项或公文"), code="bad_family")
    latest = ProcessDefinition.objects.filter(key=key).order_by("-version").first()
    if latest is not None and latest.sha256 == hashlib.sha256(data).hexdigest() and latest.family == family:
        return latest.pk
    return _store_definition(key=key, data=data, uploaded_by_id=None, is_shipped=False, family=family).pk


def current_definition(key: str) -> ProcessDefinition:
    """The latest version of ``key``, installing the shipped definitions on first use. A key whose
    latest version is view-only (issue 8) cannot be started or bound: WorkflowError."""
    definition = ProcessDefinition.objects.filter(key=key).order_by("-version").first()
    if definition is None and key in SHIPPED_KEYS:
        install_shipped_definitions()
        definition = ProcessDefinition.objects.filter(key=key).order_by("-version").first()
    if definition is None:
        raise WorkflowError(_("流程“%(key)s”不存在") % {"key": key}, code="no_definition")
    if not definition.is_runnable:
        raise WorkflowError(
            _("流程“%(name)s”（%(key)s v%(version)d）仅供查看（不可运行），不能用于办件；请上传可运行的版本")
            % {"name": definition.name, "key": key, "version": definition.version},
            code="view_only",
        )
    return definition
