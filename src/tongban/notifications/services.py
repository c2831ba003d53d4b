"""Telling people what happened: always the in-app inbox, and SMS / email where we have the contact.

Channels are plug-ins (core.sms, Django's EMAIL_BACKEND). A failing SMS or email never undoes the
in-app message: it is logged and the inbox still holds the news.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongban.catalog.selectors import version_snapshot
from tongban.core.sms import send_sms
from tongban.core.sms.base import SmsTemplate
from tongban.notifications.models import Notification

logger = logging.getLogger(__name__)
STATUS_SMS = SmsTemplate("application_status", "【通办】您的办件%(number)s%(status)s，详情请登录查看。")


def notify(
    *,
    user_id: int,
    title: str,
    body: str,
    link: str = "",
    sms_params: dict[str, str] | None = None,
    key: str = "",
) -> int:
    """Put a message in the user's inbox and send copies by SMS (when ``sms_params`` is given and the
    user has a phone) and email (when the user has an address). Returns the message id.

    With a ``key`` (what the message announces) it is sent once: a second call with the same key
    returns the first message's id and sends nothing, so a task may safely run twice."""
    try:
        return _notify(user_id=user_id, title=title, body=body, link=link, sms_params=sms_params, key=key)
    except IntegrityError:
        sent = Notification.objects.filter(key=key).values_list("pk", flat=True).first() if key else None
        if sent is None:
            raise
        return sent


@transaction.atomic
def _notify(
    *, user_id: int, title: str, body: str, link: str, sms_params: dict[str, str] | None, key: str
) -> int:
    notification = Notification.objects.create(
        recipient_id=user_id, title=title, body=body, link=link, key=key
    )
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


STATUS_TEXT = {
    "submitted": gettext_lazy("已提交，等待预审"),
    "correction_requested": gettext_lazy("需要补正"),
    "accepted": gettext_lazy("已受理"),
    "declined": gettext_lazy("不予受理"),
    "closed": gettext_lazy("已办结"),
    "withdrawn": gettext_lazy("已撤回"),
}


def tell_applicant_of_status(
    *,
    application_id: int,
    applicant_id: int,
    item_version_id: int,
    number: str | None,
    to_status: str,
    note: str,
    event_id: int,
) -> int:
    """The applicant hears of a status change of their application (inbox, SMS, email), once per
    status record ``event_id`` however often this runs. Returns the message id."""
    status = str(STATUS_TEXT.get(to_status, to_status))
    body = _("您申请的“%(item)s”（办件编号%(number)s）%(status)s。") % {
        "item": version_snapshot(item_version_id).name,
        "number": number,
        "status": status,
    }
    if note and to_status in {"correction_requested", "declined"}:
        body += _("说明：%(note)s") % {"note": note}
    return notify(
        user_id=applicant_id,
        title=_("办件%(status)s") % {"status": status},
        body=body,
        link=reverse("applications:detail", args=[application_id]),
        sms_params={"number": number or "", "status": status},
        key=f"application-event:{event_id}",
    )


def mark_read(*, user_id: int, notification_id: int) -> None:
    """Mark one of the user's own messages read; someone else's message is left alone."""
    Notification.objects.filter(pk=notification_id, recipient_id=user_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )
