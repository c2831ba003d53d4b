"""Reactions to other apps' events."""

from django.dispatch import receiver

from tongban.applications.events import application_closed
from tongban.licenses.services import issue_license_for_application


@receiver(application_closed)
def issue_license_on_approval(sender, *, application_id, result, **kwargs):
    """An approved application whose item issues a license gets it (idempotent: may run twice)."""
    if result == "approved":
        issue_license_for_application(application_id=application_id)
