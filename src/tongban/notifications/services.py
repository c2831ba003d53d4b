"""Telling people what happened: always the in-app inbox, and SMS / email where we have the contact.

Channels are plug-ins (core.sms, Django's EMAIL_BACKEND). A failing SMS or email never undoes the
in-app message: it is logged and the inbox still holds the news.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from tongban.core.sms import send_sms
from tongban.core.sms.base import SmsTemplate
from tongban.notifications.models import Notification

logger = logging.getLogger(__name__)
STATUS_SMS = SmsTemplate("application_status", "【通办】您的办件%(number)s%(status)s，详情请登录查看。")


@transaction.atomic
def notify(
    *, user_id: int, title: str, body: str, link: str = "", sms_params: dict[str, str] | None = None
) -> int:
    """Put a message in the user's inbox and send copies by SMS (when ``sms_params`` is given and the
    user has a phone) and email (when the user has an address). Returns the message id."""
    notification = Notification.objects.create(recipient_id=user_id, title=title, body=body, link=link)
    user = get_user_model().objects.filter(pk=user_id).only("phone", "email").first()
    phone, email = (user.phone, user.email) if user else ("", "")
    if sms_params is not None and phone:
        try:
            send_sms(phone, STATUS_SMS, sms_params)
        except Exception:
            logger.warning("status SMS not delivered", extra={"notification": notification.pk})
    if email:
        try:
            send_mail(title, f"{body}\n", None, [email])
        except Exception:
            logger.warning("status email not delivered", extra={"notification": notification.pk})
    return notification.pk


def mark_read(*, user_id: int, notification_id: int) -> None:
    """Mark one of the user's own messages read; someone else's message is left alone."""
    Notification.objects.filter(pk=notification_id, recipient_id=user_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )
