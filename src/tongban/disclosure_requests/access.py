"""Who may see and act on a request (department isolation): the applicant (their own requests, on the
portal), and the handlers and approvers of the department asked (on the workbench). Anyone else gets
a 404 (the views audit it)."""

from __future__ import annotations

from tongban.disclosure_requests.roles import REQUEST_APPROVER, REQUEST_HANDLER
from tongban.organizations.selectors import department_ids_for, general_office_id


def handler_department_ids(user_id: int) -> set[int]:
    return department_ids_for(user_id=user_id, role=REQUEST_HANDLER)


def approver_department_ids(user_id: int) -> set[int]:
    return department_ids_for(user_id=user_id, role=REQUEST_APPROVER)


def staff_department_ids(user_id: int) -> set[int]:
    """The departments whose requests the user sees: handler or approver there."""
    return handler_department_ids(user_id) | approver_department_ids(user_id)


def is_government_report_editor(user_id: int) -> bool:
    """The general office's 依申请公开审核签发 edits and publishes the government's annual report."""
    office = general_office_id()
    return office is not None and office in approver_department_ids(user_id)


def is_rule_editor(user_id: int) -> bool:
    """Redaction rules are city-wide; any 依申请公开审核签发 edits them."""
    return bool(approver_department_ids(user_id))
