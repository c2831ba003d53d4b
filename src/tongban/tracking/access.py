"""Who may see and act on a 督办事项 (department isolation): the tracking officers of the 督查室 that
opened it, the leader who instructed it, and the staff of its lead and assisting departments. Anyone
else gets a 404 (the views audit it)."""

from __future__ import annotations

from django.db.models import Q

from tongban.organizations.selectors import department_ids_for, roles_of
from tongban.tracking.models import TrackingItem
from tongban.tracking.roles import DEPARTMENT_ACTORS, TRACKING_OFFICER


def officer_department_ids(user_id: int) -> set[int]:
    """The 督查室 departments in which the user is a 督查人员."""
    return department_ids_for(user_id=user_id, role=TRACKING_OFFICER)


def staff_department_ids(user_id: int) -> set[int]:
    """Every department the user holds a role in (its staff see the items it leads or assists)."""
    return {department_id for department_id, _role in roles_of(user_id=user_id)}


def actor_department_ids(user_id: int) -> set[int]:
    """Departments the user acts for on 督办事项 (签收, 反馈, 申请办结, 申请延期): 文书人员, 部门负责人."""
    return {department_id for department_id, role in roles_of(user_id=user_id) if role in DEPARTMENT_ACTORS}


def visible_q(user_id: int) -> Q:
    departments = staff_department_ids(user_id)
    return (
        Q(office_department_id__in=officer_department_ids(user_id))
        | Q(leader_id=user_id)
        | Q(lead_department_id__in=departments)
        | Q(assisting_departments__in=departments)
    )


def get_item_for(user_id: int, item_id: int) -> TrackingItem | None:
    ids = TrackingItem.objects.filter(visible_q(user_id)).filter(pk=item_id).values("pk")
    return TrackingItem.objects.filter(pk__in=ids).select_related("lead_department").first()


def is_officer_of(user_id: int, item: TrackingItem) -> bool:
    return item.office_department_id in officer_department_ids(user_id)


def acts_for_lead(user_id: int, item: TrackingItem) -> bool:
    return item.lead_department_id in actor_department_ids(user_id)


def feedback_department(user_id: int, item: TrackingItem) -> int | None:
    """The department the user gives 阶段反馈 for: the lead one first, else an assisting one."""
    mine = actor_department_ids(user_id)
    if item.lead_department_id in mine:
        return item.lead_department_id
    assisting = set(item.assisting_departments.values_list("pk", flat=True))
    return min(assisting & mine, default=None)
