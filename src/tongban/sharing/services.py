"""Data-sharing use cases: the catalog, exchange clients, access requests and grants, and the exchange
query itself (through the API or inside the platform), each use written to the usage log."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Collection, Mapping, Sequence
from typing import Any, Protocol

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.models import get_application_model

from tongban.accounts.rules import mask_resident_id
from tongban.core import calendar
from tongban.core.identifiers import is_valid_uscc
from tongban.core.schemaforms.definition import read_definition
from tongban.organizations import selectors as org_selectors
from tongban.registries import selectors as registry_selectors
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
    AccessRequest,
    DataItem,
    DataResource,
    ExchangeClient,
    Grant,
    SharingType,
    SubjectKind,
    UsageOutcome,
)
from tongban.sharing.types import ClientCredentials, ResourceData, SharedData, Subject

logger = logging.getLogger(__name__)

ANSWER_WORKING_DAYS = 10  # 政务数据共享条例: the provider answers a request within 10 working days
PREFILL_PURPOSE = "网上申请预填"
EXCHANGE_SCOPE = "exchange"


# --- subjects ------------------------------------------------------------------------------------


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


# --- catalog -------------------------------------------------------------------------------------


@transaction.atomic
def upsert_resource(data: ResourceData) -> int:
    """Publish or update a catalog entry with its data items.

    Rules: the provider must be registered; 不予共享 needs its legal basis and 有条件共享 its condition
    (also database constraints); item codes are unique within the resource."""
    if providers.get(data.provider) is None:
        raise SharingError(_("数据提供程序“%(name)s”不存在") % {"name": data.provider})
    if data.sharing_type == SharingType.NOT_SHARED and not data.not_shared_basis.strip():
        raise SharingError(_("不予共享的资源须写明法律、行政法规或国家有关规定依据"))
    if data.sharing_type == SharingType.CONDITIONAL and not data.sharing_condition.strip():
        raise SharingError(_("有条件共享的资源须写明共享条件"))
    resource, _created = DataResource.objects.update_or_create(
        code=data.code,
        defaults={
            "name": data.name,
            "classification": data.classification,
            "department_id": data.department_id,
            "summary": data.summary,
            "subject_kind": data.subject_kind,
            "provider": data.provider,
            "sharing_type": data.sharing_type,
            "sharing_condition": data.sharing_condition,
            "not_shared_basis": data.not_shared_basis,
            "update_cycle": data.update_cycle,
            "related_resources": data.related_resources,
        },
    )
    resource.items.exclude(key__in=[item.key for item in data.items]).delete()
    for position, item in enumerate(data.items):
        DataItem.objects.update_or_create(
            resource=resource,
            key=item.key,
            defaults={"name": item.name, "data_type": item.data_type, "position": position},
        )
    return resource.pk


# --- clients -------------------------------------------------------------------------------------


@transaction.atomic
def register_client(*, name: str, department_id: int, is_platform: bool = False) -> ClientCredentials:
    """Register a department system as an OAuth2 client (client credentials grant).

    The secret is returned once and stored hashed by django-oauth-toolkit (T-D3)."""
    application_model = get_application_model()
    secret = secrets.token_urlsafe(32)
    application = application_model.objects.create(
        name=name,
        client_type=application_model.CLIENT_CONFIDENTIAL,
        authorization_grant_type=application_model.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        hash_client_secret=True,
    )
    client = ExchangeClient.objects.create(
        name=name, department_id=department_id, oauth_application=application, is_platform=is_platform
    )
    return ClientCredentials(client_pk=client.pk, client_id=application.client_id, client_secret=secret)


@transaction.atomic
def ensure_client(*, name: str, department_id: int, is_platform: bool = False) -> ClientCredentials:
    """The client of that name, created if missing; an existing one gets a new secret (rotation), as
    the old one cannot be read back. The demo loader prints the result in DEBUG only."""
    client = ExchangeClient.objects.select_related("oauth_application").filter(name=name).first()
    if client is None:
        return register_client(name=name, department_id=department_id, is_platform=is_platform)
    return rotate_client_secret(client_id=client.pk)


@transaction.atomic
def rotate_client_secret(*, client_id: int) -> ClientCredentials:
    """A new secret for a client; the old one stops working at once (its tokens live on until expiry)."""
    client = ExchangeClient.objects.select_related("oauth_application").select_for_update().get(pk=client_id)
    secret = secrets.token_urlsafe(32)
    application = client.oauth_application
    application.client_secret = secret
    application.save(update_fields=["client_secret"])
    return ClientCredentials(client_pk=client.pk, client_id=application.client_id, client_secret=secret)


@transaction.atomic
def disable_client(*, client_id: int) -> None:
    """Stop a client at once: its current tokens are refused on the next call (T-D3)."""
    client = ExchangeClient.objects.select_for_update().get(pk=client_id)
    client.is_active = False
    client.save(update_fields=["is_active"])
    from oauth2_provider.models import get_access_token_model

    get_access_token_model().objects.filter(application_id=client.oauth_application_id).delete()


def client_for_oauth_application(application_id: int) -> int | None:
    """The active exchange client behind an OAuth2 application, or None."""
    return (
        ExchangeClient.objects.filter(oauth_application_id=application_id, is_active=True)
        .values_list("pk", flat=True)
        .first()
    )


# --- access requests and grants ------------------------------------------------------------------


def _check_items(resource: DataResource, item_keys: Sequence[str]) -> list[str]:
    known = set(resource.items.values_list("key", flat=True))
    keys = list(dict.fromkeys(item_keys))
    if not keys:
        raise SharingError(_("请选择要使用的信息项"))
    unknown = [key for key in keys if key not in known]
    if unknown:
        raise SharingError(_("资源中没有这些信息项：%(keys)s") % {"keys": "、".join(unknown)})
    return keys


def has_pending_request(*, resource_code: str, department_id: int, purpose: str) -> bool:
    return AccessRequest.objects.filter(
        resource__code=resource_code,
        department_id=department_id,
        purpose=purpose.strip(),
        status=AccessRequest.Status.PENDING,
    ).exists()


@transaction.atomic
def request_access(
    *,
    resource_code: str,
    department_id: int,
    purpose: str,
    item_keys: Sequence[str],
    valid_from: dt.date,
    valid_until: dt.date,
    actor_id: int | None,
) -> int:
    """共享申请 for a 有条件共享 resource. The provider must answer within 10 working days
    (``answer_due``, counted by core.calendar). 不予共享 resources cannot be requested; 无条件共享 need no
    request."""
    resource = DataResource.objects.filter(code=resource_code).first()
    if resource is None:
        raise ResourceNotFoundError(_("未找到该信息资源"))
    if has_pending_request(resource_code=resource_code, department_id=department_id, purpose=purpose):
        raise SharingError(_("本部门已有相同用途的共享申请在等待答复"), code="duplicate_request")
    if resource.sharing_type != SharingType.CONDITIONAL:
        raise SharingError(_("只有有条件共享的资源需要申请"))
    if not purpose.strip():
        raise PurposeRequiredError(_("请填写数据用途"))
    if valid_until < valid_from:
        raise SharingError(_("使用期限的结束日期须晚于开始日期"))
    keys = _check_items(resource, item_keys)
    now = timezone.now()
    access_request = AccessRequest.objects.create(
        resource=resource,
        department_id=department_id,
        purpose=purpose.strip(),
        item_keys=keys,
        valid_from=valid_from,
        valid_until=valid_until,
        requested_by_id=actor_id,
        requested_at=now,
        answer_due=calendar.add_working_days(now, ANSWER_WORKING_DAYS),
    )
    return access_request.pk


def _pending_request_for_provider(request_id: int, actor_id: int) -> AccessRequest:
    access_request = AccessRequest.objects.select_for_update().select_related("resource").get(pk=request_id)
    steward_of = org_selectors.department_ids_for(user_id=actor_id, role="department_admin")
    if access_request.resource.department_id not in steward_of:
        raise NotGrantedError(_("只有资源提供部门的部门管理员可以答复共享申请"))
    if access_request.status != AccessRequest.Status.PENDING:
        raise SharingError(_("该共享申请已经答复"), code="already_decided")
    return access_request


@transaction.atomic
def approve_access_request(*, request_id: int, actor_id: int) -> int:
    """The provider agrees: a grant for the requested items, purpose and period. Returns the grant id."""
    access_request = _pending_request_for_provider(request_id, actor_id)
    access_request.status = AccessRequest.Status.APPROVED
    access_request.decided_by_id = actor_id
    access_request.decided_at = timezone.now()
    access_request.save(update_fields=["status", "decided_by_id", "decided_at"])
    grant = Grant.objects.create(
        resource=access_request.resource,
        department_id=access_request.department_id,
        purpose=access_request.purpose,
        item_keys=access_request.item_keys,
        valid_from=access_request.valid_from,
        valid_until=access_request.valid_until,
        access_request=access_request,
    )
    return grant.pk


@transaction.atomic
def refuse_access_request(*, request_id: int, actor_id: int, reason: str) -> None:
    """The provider refuses; 政务数据共享条例 requires the reasons."""
    if not reason.strip():
        raise SharingError(_("请填写不同意共享的理由"), code="reason_required")
    access_request = _pending_request_for_provider(request_id, actor_id)
    access_request.status = AccessRequest.Status.REFUSED
    access_request.refusal_reason = reason.strip()
    access_request.decided_by_id = actor_id
    access_request.decided_at = timezone.now()
    access_request.save(update_fields=["status", "refusal_reason", "decided_by_id", "decided_at"])


@transaction.atomic
def grant_access(
    *,
    resource_code: str,
    department_id: int,
    purpose: str,
    item_keys: Sequence[str],
    valid_from: dt.date,
    valid_until: dt.date,
) -> int:
    """A grant recorded directly (e.g. a sharing agreement signed outside the platform, or the demo)."""
    resource = DataResource.objects.get(code=resource_code)
    if resource.sharing_type == SharingType.NOT_SHARED:
        raise SharingError(_("不予共享的资源不能授权"))
    # The same grant twice is one grant (the demo loader runs on every start).
    grant, _created = Grant.objects.get_or_create(
        resource=resource,
        department_id=department_id,
        purpose=purpose.strip(),
        item_keys=_check_items(resource, item_keys),
        valid_from=valid_from,
        valid_until=valid_until,
        revoked_at__isnull=True,
        access_request__isnull=True,
    )
    return grant.pk


# --- the exchange query --------------------------------------------------------------------------


def _allowed_items(
    resource: DataResource, *, department_id: int, purpose: str, today: dt.date
) -> tuple[list[str] | None, str]:
    """(item keys the department may read for ``purpose`` today, or None; the reason when None).

    无条件共享: every item, any stated purpose. 有条件共享: the union of the department's unexpired,
    unrevoked grants for exactly this purpose (deny by default, T-D2). 不予共享: nothing."""
    if resource.sharing_type == SharingType.NOT_SHARED:
        return None, _("该资源不予共享（依据：%(basis)s）") % {"basis": resource.not_shared_basis}
    if resource.sharing_type == SharingType.OPEN:
        return [item.key for item in resource.items.all()], ""
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
    return [item.key for item in resource.items.all() if item.key in allowed], ""


def query_resource(
    *,
    client_id: int,
    resource_code: str,
    subject: Subject | None,
    purpose: str,
    case_ref: str = "",
    channel: str = "api",
) -> SharedData:
    """One exchange query: the granted items of ``resource_code`` about ``subject``.

    Rules: a purpose is required (400); only items granted to the client's department for this purpose
    and date are read and returned (403 when none, T-D2); 不予共享 is refused (403). Every query is
    written to the usage log, refusals included, and data is returned only after its row committed;
    if the log cannot be written nothing is returned (503, T-E4).
    Raises PurposeRequiredError, InvalidSubjectError, NotGrantedError, ResourceNotFoundError,
    SubjectNotFoundError, UsageLogUnavailableError.
    """
    client = ExchangeClient.objects.select_related("department").get(pk=client_id)
    resource = DataResource.objects.filter(code=resource_code).prefetch_related("items").first()
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
            resource, department_id=client.department_id, purpose=purpose, today=today
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
    names = {item.key: item.name for item in resource.items.all()} if resource else {}
    try:
        seq = usage_log.append(
            channel=channel,
            client_id=client.pk,
            department_id=client.department_id,
            department_name=client.department.name,
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
    client_id = platform_client_id()
    if client_id is None:
        raise NotGrantedError(_("平台尚未注册自用的数据交换客户端"), code="no_platform_client")
    return query_resource(
        client_id=client_id,
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
