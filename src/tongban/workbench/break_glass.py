"""Opening a break-glass window for a Django superuser (T-B6): ``core.break_glass`` opens and audits it;
this tells the 安全管理员 and the 审计管理员 (inbox, SMS/email copies)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core import break_glass
from tongban.core.models import BreakGlassWindow
from tongban.notifications.services import notify
from tongban.organizations.selectors import AUDIT_ADMIN, SECURITY_ADMIN, staff_ids_holding


def open_window(*, username: str, reason: str, minutes: int) -> tuple[BreakGlassWindow, set[int]]:
    """Open the window for the superuser ``username`` and alert the security and audit administrators;
    returns the window and whom it alerted. ValueError for an unknown or non-superuser account."""
    user = get_user_model().objects.filter(username=username, is_superuser=True, is_active=True).first()
    if user is None:
        raise ValueError(_("没有名为“%(name)s”的有效超级用户") % {"name": username})
    window = break_glass.open_window(user_id=user.pk, reason=reason, minutes=minutes)
    alerted = staff_ids_holding({SECURITY_ADMIN, AUDIT_ADMIN})
    until = timezone.localtime(window.expires_at)
    for recipient in sorted(alerted):
        notify(
            user_id=recipient,
            title=_("超级用户紧急授权已开启"),
            body=_(
                "超级用户 %(name)s 的紧急授权窗口已开启，至 %(until)s 结束。原因：%(reason)s。窗口内的每个请求都记入审计日志。"
            )
            % {"name": username, "until": f"{until:%Y-%m-%d %H:%M}", "reason": window.reason},
            link="/staff/audit/?event=break_glass.",
            key=f"break-glass-{window.pk}-{recipient}",
        )
    return window, alerted
