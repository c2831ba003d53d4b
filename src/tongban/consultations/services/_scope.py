from __future__ import annotations

from django.utils.translation import gettext as _

from tongban.consultations import selectors
from tongban.consultations.errors import ConsultationError


def publisher_departments(actor_id: int) -> set[int]:
    departments = selectors.publisher_department_ids(actor_id)
    if not departments:
        raise ConsultationError(_("您没有征集发布的岗位"), code="forbidden")
    return departments


def may_moderate(actor_id: int, department_id: int) -> bool:
    departments = selectors.moderator_department_ids(actor_id)
    return departments is None or department_id in departments
