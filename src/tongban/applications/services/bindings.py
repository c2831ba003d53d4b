"""Which process an item's applications run (事项办理流程)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tongban.applications.errors import ApplicationError
from tongban.applications.models import ProcessBinding
from tongban.organizations.selectors import departments_by_ids
from tongban.workflow.services import current_definition


@transaction.atomic
def bind_item_process(*, item_id: int, definition_key: str, lane_departments: dict[str, int]) -> None:
    """Make new applications for the item run ``definition_key``, with each lane handled by a
    department (并联审批). Rules: the definition exists; every named lane is one of its lanes; every
    department exists. Applications already running keep their process."""
    definition = current_definition(definition_key)
    unknown_lanes = set(lane_departments) - set(definition.lanes)
    if unknown_lanes:
        raise ApplicationError(
            _("流程“%(name)s”没有泳道：%(lanes)s")
            % {"name": definition.name, "lanes": "、".join(sorted(unknown_lanes))},
            code="unknown_lane",
        )
    if len(departments_by_ids(set(lane_departments.values()))) != len(set(lane_departments.values())):
        raise ApplicationError(_("所选部门不存在"), code="unknown_department")
    ProcessBinding.objects.update_or_create(
        item_id=item_id,
        defaults={"definition_key": definition_key, "lane_departments": dict(lane_departments)},
    )
