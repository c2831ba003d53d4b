"""Reactions to other apps' events."""

import logging

from django.dispatch import receiver

from tongban.applications.events import application_closed
from tongban.core.errors import TongbanError
from tongban.licenses.services import issue_license_for_application

logger = logging.getLogger(__name__)


@receiver(application_closed)
def issue_license_on_approval(sender, *, application_id, result, **kwargs):
    """An approved application whose item issues a license gets it (idempotent: may run twice).

    The closure has already committed: a license that cannot be issued (no seal, an empty face field)
    must not turn the closing request into an error page, so it is logged for the department to fix."""
    if result != "approved":
        return
    try:
        issue_license_for_application(application_id=application_id)
    except TongbanError as exc:
        logger.error("license for application %s not issued: %s", application_id, exc.message)
