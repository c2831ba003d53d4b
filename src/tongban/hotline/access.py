"""Who may see and act on a work order (department isolation): the 12345 centre's 派单员 see every
order; a department's 承办人员 see the orders their department leads or assists on now; 话务员 the
calls they entered. Anyone else gets a 404 (the views audit it)."""

from __future__ import annotations

from django.db.models import Q

from tongban.hotline.models import WorkOrder
from tongban.hotline.roles import HOTLINE_AGENT, HOTLINE_DISPATCHER, HOTLINE_HANDLER
from tongban.organizations.selectors import department_ids_for


def dispatcher_department_ids(user_id: int) -> set[int]:
    return department_ids_for(user_id=user_id, role=HOTLINE_DISPATCHER)


def handler_department_ids(user_id: int) -> set[int]:
    return department_ids_for(user_id=user_id, role=HOTLINE_HANDLER)


def agent_department_ids(user_id: int) -> set[int]:
    return department_ids_for(user_id=user_id, role=HOTLINE_AGENT)


def is_dispatcher(user_id: int) -> bool:
    return bool(dispatcher_department_ids(user_id))


def visible_q(user_id: int) -> Q | None:
    """The orders the user may open; None: every order (a 派单员)."""
    if is_dispatcher(user_id):
        return None
    departments = handler_department_ids(user_id)
    return (
        Q(lead_department_id__in=departments)
        | Q(assisting_departments__in=departments)
        | Q(created_by_id=user_id)
    )


def get_order_for(user_id: int, order_id: int) -> WorkOrder | None:
    q = visible_q(user_id)
    orders = WorkOrder.objects.filter(pk=order_id)
    if q is not None:
        ids = WorkOrder.objects.filter(q).filter(pk=order_id).values("pk")
        orders = WorkOrder.objects.filter(pk__in=ids)
    return orders.select_related("category", "suggested_category", "region", "lead_department").first()


def acts_for_lead(user_id: int, order: WorkOrder) -> bool:
    return order.lead_department_id is not None and order.lead_department_id in handler_department_ids(
        user_id
    )
