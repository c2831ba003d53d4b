"""共享申请 and grants: who may use which items of a resource, for what and until when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core import calendar
from tongban.organizations import selectors as org_selectors
from tongban.sharing.errors import (
    NotGrantedError,
    PurposeRequiredError,
    ResourceNotFoundError,
    SharingError,
)
from tongban.sharing.models import (
    AccessRequest,
    DataResource,
    Grant,
    SharingType,
)

ANSWER_WORKING_DAYS = 10  # 政务数据共享条例: the provider answers a request within 10 working days


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
