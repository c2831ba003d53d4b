"""The exchange query, through the API or inside the platform (一表填报), each use logged."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection, Mapping
from typing import Any, Protocol

from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts.rules import mask_resident_id
from tongban.core.identifiers import is_valid_uscc
from tongban.registries import selectors as registry_selectors
from tongban.schemaforms.definition import read_definition
from tongban.sharing import providers, usage_log
from tongban.sharing.errors import (
    InvalidSubjectError,
    NotGrantedError,
    PurposeRequiredError,
    ResourceNotFoundError,
    SharingError,
    SubjectNotFoundError,
    UsageLogUnavailableError,
)
from tongban.sharing.models import (
    DataItem,
    DataResource,
    ExchangeClient,
    Grant,
    SharingType,
    SubjectKind,
    UsageOutcome,
)
from tongban.sharing.services.clients import caller_for_client
from tongban.sharing.types import ExchangeCaller, SharedData, Subject

logger = logging.getLogger(__name__)

PREFILL_PURPOSE = "网上申请预填"
LICENSE_EXEMPTION_PURPOSE = "免提交：以电子证照代替申请材料"
EXCHANGE_SCOPE = "exchange"


def subject_from_identifier(identifier: str) -> Subject | None:
    """A resident ID number or a USCC as a subject; None when it is neither."""
    value = identifier.strip().upper()
    key = registry_selectors.person_key(value)
    if key is not None:
        return Subject(kind=SubjectKind.PERSON, key=key, masked=mask_resident_id(value))
    if is_valid_uscc(value):
        return Subject(kind=SubjectKind.ENTERPRISE, key=value, masked=value)
    return None


def subject_of_account(
    *, kind: str, resident_id_hmac: str, resident_id_masked: str, uscc: str
) -> Subject | None:
    """The subject an account stands for: a citizen by the keyed hash of the ID, an enterprise by USCC."""
    if kind == "enterprise" and uscc:
        return Subject(kind=SubjectKind.ENTERPRISE, key=uscc, masked=uscc)
    if kind == "citizen" and resident_id_hmac:
        return Subject(kind=SubjectKind.PERSON, key=resident_id_hmac, masked=resident_id_masked)
    return None


def _resource_with_items(code: str) -> tuple[DataResource | None, list[DataItem]]:
    """The catalog entry and its items in catalog order, in one query (items joined to their resource);
    a second one only for a resource without items."""
    items = list(DataItem.objects.filter(resource__code=code).select_related("resource"))
    if items:
        return items[0].resource, items
    return DataResource.objects.filter(code=code).first(), []


def _allowed_items(
    resource: DataResource, items: list[DataItem], *, department_id: int, purpose: str, today: dt.date
) -> tuple[list[str] | None, str]:
    """(item keys the department may read for ``purpose`` today, or None; the reason when None).

    无条件共享: every item, any stated purpose. 有条件共享: the union of the department's unexpired,
    unrevoked grants for exactly this purpose (deny by default, T-D2). 不予共享: nothing."""
    if resource.sharing_type == SharingType.NOT_SHARED:
        return None, _("该资源不予共享（依据：%(basis)s）") % {"basis": resource.not_shared_basis}
    if resource.sharing_type == SharingType.OPEN:
        return [item.key for item in items], ""
    grants = Grant.objects.filter(
        resource=resource,
        department_id=department_id,
        purpose=purpose,
        revoked_at__isnull=True,
        valid_from__lte=today,
        valid_until__gte=today,
    ).values_list("item_keys", flat=True)
    allowed = {key for keys in grants for key in keys}
    if not allowed:
        return None, _("本部门没有该资源在此用途下的有效共享授权")
    return [item.key for item in items if item.key in allowed], ""


def query_resource(
    *,
    client_id: int,
    resource_code: str,
    subject: Subject | None,
    purpose: str,
    case_ref: str = "",
    channel: str = "api",
) -> SharedData:
    """``query_as`` for the exchange client ``client_id``."""
    return query_as(
        caller=caller_for_client(client_id),
        resource_code=resource_code,
        subject=subject,
        purpose=purpose,
        case_ref=case_ref,
        channel=channel,
    )


def query_as(
    *,
    caller: ExchangeCaller,
    resource_code: str,
    subject: Subject | None,
    purpose: str,
    case_ref: str = "",
    channel: str = "api",
    rolls_back_on_log_failure: bool = False,
) -> SharedData:
    """One exchange query: the granted items of ``resource_code`` about ``subject``.

    Rules: a purpose is required (400); only items granted to the client's department for this purpose
    and date are read and returned (403 when none, T-D2); 不予共享 is refused (403). Every query is
    written to the usage log, refusals included, and data is returned only after its row committed;
    if the log cannot be written nothing is returned (503, T-E4). A caller whose transaction rolls back
    whole on UsageLogUnavailableError says so (``rolls_back_on_log_failure``): the append then needs no
    savepoint of its own.
    Raises PurposeRequiredError, InvalidSubjectError, NotGrantedError, ResourceNotFoundError,
    SubjectNotFoundError, UsageLogUnavailableError.
    """
    resource, resource_items = _resource_with_items(resource_code)
    purpose, case_ref = purpose.strip(), case_ref.strip()
    today = timezone.localdate()
    error: SharingError | None = None
    items: Mapping[str, object] = {}
    item_keys: list[str] = []
    if resource is None:
        error = ResourceNotFoundError(_("未找到该信息资源"), code="resource_not_found")
    elif subject is None or subject.kind != resource.subject_kind:
        error = InvalidSubjectError(
            _("请填写正确的身份证号码（自然人）或统一社会信用代码（法人）"), code="invalid_subject"
        )
    elif not purpose:
        error = PurposeRequiredError(_("请说明数据用途（purpose）"), code="purpose_required")
    else:
        allowed, reason = _allowed_items(
            resource, resource_items, department_id=caller.department_id, purpose=purpose, today=today
        )
        provider = providers.get(resource.provider)
        if allowed is None:
            error = NotGrantedError(reason, code="not_granted")
        elif provider is None:
            error = NotGrantedError(_("该资源的数据提供程序未启用"), code="provider_missing")
        else:
            record = provider.read(subject.key, today=today)
            if record is None:
                error = SubjectNotFoundError(_("基础库中没有该主体的数据"), code="subject_not_found")
            else:
                item_keys = [key for key in allowed if key in record]
                items = {key: record[key] for key in item_keys}
    names = {item.key: item.name for item in resource_items}
    try:
        seq = usage_log.append(
            channel=channel,
            client_id=caller.client_id,
            department_id=caller.department_id,
            department_name=caller.department_name,
            resource_code=resource_code[:64],
            resource_name=resource.name if resource else "",
            subject_kind=subject.kind if subject else "",
            subject_key=subject.key if subject else "",
            subject_masked=subject.masked if subject else "",
            item_names=[names[key] for key in item_keys],
            purpose=purpose,
            case_ref=case_ref,
            outcome=(
                UsageOutcome.SERVED
                if error is None
                else UsageOutcome.NOT_FOUND
                if isinstance(error, SubjectNotFoundError)
                else UsageOutcome.REFUSED
            ),
            reason=error.message if error else "",
            savepoint=not rolls_back_on_log_failure,
        )
    except DatabaseError as exc:
        logger.error("usage log append failed; exchange query refused: %s", type(exc).__name__)
        raise UsageLogUnavailableError() from exc
    if error is not None:
        raise error
    return SharedData(
        resource_code=resource_code,
        subject_masked=subject.masked if subject else "",
        items=items,
        usage_seq=seq,
    )


def platform_client_id() -> int | None:
    return (
        ExchangeClient.objects.filter(is_platform=True, is_active=True).values_list("pk", flat=True).first()
    )


def use_for_platform(*, resource_code: str, subject: Subject, purpose: str, case_ref: str) -> SharedData:
    """A platform-internal use (prefill, 免提交) as the platform's own client: same rules, same log."""
    row = (
        ExchangeClient.objects.filter(is_platform=True, is_active=True)
        .values_list("pk", "department_id", "department__name")
        .first()
    )
    if row is None:
        raise NotGrantedError(_("平台尚未注册自用的数据交换客户端"), code="no_platform_client")
    return query_as(
        caller=ExchangeCaller(*row),
        resource_code=resource_code,
        subject=subject,
        purpose=purpose,
        case_ref=case_ref,
        channel="platform",
    )


class Account(Protocol):
    """What prefill needs of the logged-in account (accounts.User has these attributes)."""

    kind: str
    resident_id_hmac: str
    resident_id_masked: str
    uscc: str


def prefill_keys_in(form_schema: Mapping[str, Any], ui_schema: Mapping[str, Any]) -> set[str]:
    """The prefill keys a form's fields ask for (``ui:prefill``)."""
    wanted = set()
    for spec in read_definition(form_schema, ui_schema):
        wanted |= {child.prefill for child in spec.children if child.prefill}
        if spec.prefill:
            wanted.add(spec.prefill)
    return wanted


def prefill_from_registries(
    *, account: Account, form_schema: Mapping[str, Any], ui_schema: Mapping[str, Any], case_ref: str
) -> dict[str, str]:
    """一表填报 for one application form: what the registries know about the applicant, for the fields
    that ask for it (data minimisation: a form without such fields reads nothing)."""
    subject = subject_of_account(
        kind=account.kind,
        resident_id_hmac=account.resident_id_hmac,
        resident_id_masked=account.resident_id_masked,
        uscc=account.uscc,
    )
    return prefill_values(subject=subject, case_ref=case_ref, wanted=prefill_keys_in(form_schema, ui_schema))


def prefill_values(*, subject: Subject | None, case_ref: str, wanted: Collection[str]) -> dict[str, str]:
    """Prefill values from the registries, read through the exchange as the platform's client with
    purpose 网上申请预填 and the application as case reference; each use is logged.

    Only resources whose provider fills one of the ``wanted`` keys are asked. One that is not granted
    to the platform, or not answering, leaves its fields empty for the person to type (never an error
    page)."""
    if subject is None or not wanted or platform_client_id() is None:
        return {}
    known: dict[str, str] = {}
    resources = DataResource.objects.filter(subject_kind=subject.kind).exclude(
        sharing_type=SharingType.NOT_SHARED
    )
    for code, provider_name in resources.values_list("code", "provider").order_by("code"):
        provider = providers.get(provider_name)
        if provider is None or not set(provider.prefill.values()) & set(wanted):
            continue
        try:
            shared = use_for_platform(
                resource_code=code, subject=subject, purpose=PREFILL_PURPOSE, case_ref=case_ref
            )
        except SharingError:
            continue
        for item_key, prefill_key in provider.prefill.items():
            value = shared.items.get(item_key)
            if prefill_key in wanted and isinstance(value, str) and value and prefill_key not in known:
                known[prefill_key] = value
    return known
