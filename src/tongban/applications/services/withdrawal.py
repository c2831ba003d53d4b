"""撤回申请: the applicant takes back an application that has not been accepted (受理) yet."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.applications.errors import ApplicationError, ApplicationStateError
from tongban.applications.models import ApplicationStatus
from tongban.applications.services.common import own_application, record_status
from tongban.applications.subjects import subject_of
from tongban.workflow import services as workflow

# Before 受理 the department has decided nothing, so the applicant may take the application back.
# After it, stopping a case is the department's decision (终止 in the process monitor).
WITHDRAWABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.CORRECTION_REQUESTED)
MAX_REASON_LENGTH = 200


@transaction.atomic
def withdraw_application(*, application_id: int, applicant_id: int, reason: str) -> None:
    """Withdraw a submitted application before 受理: the status becomes 已撤回 with the reason, an open
    补正 is closed (its pause ends now), and the running process ends with its open steps cancelled,
    even one a clerk has claimed, so it leaves every 待办 list.

    A second withdrawal of the same application is refused (ApplicationStateError, a 409): the state
    is checked under the row lock, so two clicks cannot both succeed. Raises ApplicationError without
    a reason, ApplicationNotFound for another person's application."""
    reason = reason.strip()
    if not reason:
        raise ApplicationError(_("请填写撤回原因。"), code="reason_required")
    if len(reason) > MAX_REASON_LENGTH:
        raise ApplicationError(
            _("撤回原因不能超过%(count)d个字。") % {"count": MAX_REASON_LENGTH}, code="reason_too_long"
        )
    application = own_application(application_id, applicant_id)
    if application.status not in WITHDRAWABLE:
        if application.status == ApplicationStatus.WITHDRAWN:
            raise ApplicationStateError(_("该办件已撤回。"), code="already_withdrawn")
        raise ApplicationStateError(
            _("办件已受理或已办结，不能撤回；如需停止办理，请联系受理部门。"), code="accepted"
        )
    application.corrections.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
    workflow.end_withdrawn_instance(
        subject=subject_of(application.pk), reason=_("申请人撤回：%(reason)s") % {"reason": reason}
    )
    record_status(application, ApplicationStatus.WITHDRAWN, actor_id=applicant_id, note=reason)
    application.save(update_fields=["status", "updated_at"])
