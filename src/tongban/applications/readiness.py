"""The readiness check (办理就绪检查), a selector: can every online item be handled to the end?

A step of a case's process becomes a task for a (department, role): the role is the step's; the
department is the application's (the item's), or for a step in a lane of the item's joint-approval
binding, the department mapped to that lane (``workflow.services.instances._department_for``). A task whose
role no active staff account holds in its department sits in nobody's 待办 and the case never ends.
This lists every such step of every published item that takes online applications (the only ones
that start a process), and items whose process cannot be started at all.

Not checked: escalation roles (a step overdue goes to the supervisor, which is a warning, not a
handler), and 代理 (a stand-in needs the colleague's role to exist in the first place).
"""

from __future__ import annotations

from dataclasses import dataclass

from tongban.applications.models import ProcessBinding
from tongban.applications.selectors import default_definition_key
from tongban.catalog.selectors import published_item_refs
from tongban.organizations.selectors import departments_by_ids, role_label, staffed_roles
from tongban.workflow.selectors import process_outlines


@dataclass(frozen=True)
class StaffingGap:
    """One step of one item that nobody could take, or (``step_name`` empty) an item whose process
    cannot be started."""

    item_id: int
    item_name: str
    implementation_code: str
    item_department_id: int
    item_department_name: str
    process_name: str
    step_name: str
    role: str
    role_label: str
    department_id: int  # where the task would arrive
    department_name: str
    lane: str | None


def staffing_gaps(department_ids: set[int] | None = None) -> list[StaffingGap]:
    """Steps nobody could take, of every published online item, by item name then step order.

    ``department_ids`` limits the list to gaps whose task would arrive in one of those departments
    or whose item is one of theirs (a department administrator's view); None: all (a city
    administrator's). Five queries, whatever the number of items.
    """
    items = published_item_refs(online_only=True)
    bindings = {
        item_id: (key, {lane: int(d) for lane, d in lanes.items()})
        for item_id, key, lanes in ProcessBinding.objects.values_list(
            "item_id", "definition_key", "lane_departments"
        )
    }
    processes = {
        item.item_id: bindings.get(item.item_id, (default_definition_key(is_instant=item.is_instant), {}))
        for item in items
    }
    outlines = process_outlines({key for key, _lanes in processes.values()})
    held = staffed_roles()
    names = departments_by_ids(
        {item.department_id for item in items}
        | {d for _key, lanes in processes.values() for d in lanes.values()}
    )
    gaps = []
    for item in items:
        key, lanes = processes[item.item_id]
        outline = outlines[key]
        # A process that cannot start is one gap of the item's own department, without a step.
        steps = outline.steps if outline.runnable else (None,)
        for step in steps:
            department_id = lanes.get(step.lane or "", item.department_id) if step else item.department_id
            if step is not None and (department_id, step.role) in held:
                continue
            if department_ids is not None and not {department_id, item.department_id} & department_ids:
                continue
            gaps.append(
                StaffingGap(
                    item_id=item.item_id,
                    item_name=item.name,
                    implementation_code=item.implementation_code,
                    item_department_id=item.department_id,
                    item_department_name=names[item.department_id].short_name,
                    process_name=outline.name,
                    step_name=step.name if step else "",
                    role=step.role if step else "",
                    role_label=role_label(step.role) if step else "",
                    department_id=department_id,
                    department_name=names[department_id].short_name,
                    lane=step.lane if step else None,
                )
            )
    return gaps
