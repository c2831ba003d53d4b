"""The resource catalog (信息资源目录): entries with the STANDARDS.md §7 fields and their data items."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tongban.sharing import providers
from tongban.sharing.errors import (
    SharingError,
)
from tongban.sharing.models import (
    DataItem,
    DataResource,
    SharingType,
)
from tongban.sharing.types import ResourceData


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
