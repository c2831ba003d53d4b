"""E-supervision (电子监察): supervision orders and reminders on cases, and the warnings sent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InterventionKind(models.TextChoices):
    REMINDER = "reminder", _("催办")
    ORDER = "order", _("督办")


class Intervention(models.Model):
    """催办 (a reminder) or 督办 (a supervision order with a reply deadline) on one application,
    delivered to whoever holds its open tasks.

    A 督办 without ``issued_by`` is the system's (系统自动督办): a step overdue past its definition's
    ``escalate_after_days``. It names the task, at most one per task, so the periodic job running
    twice, or twice at once, records and sends it once."""

    application = models.ForeignKey(
        "applications.Application", verbose_name=_("办件"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=InterventionKind.choices)
    message = models.TextField(_("内容"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发出人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("空表示系统自动督办"),
    )
    issued_at = models.DateTimeField(_("发出时间"), auto_now_add=True)
    reply_due = models.DateField(_("反馈期限"), null=True, blank=True)
    recipient_ids = models.JSONField(_("接收人"), default=list)
    # The workflow task a system 督办 escalated (a WorkTask id; no foreign key across the layers).
    task_id = models.UUIDField(_("环节任务"), null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("督办催办")
        verbose_name_plural = _("督办催办")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.label} {self.application_id}"

    @property
    def is_automatic(self) -> bool:
        return self.issued_by_id is None

    @property
    def label(self) -> str:
        return str(_("系统自动督办")) if self.is_automatic else str(self.get_kind_display())


class WarningNotice(models.Model):
    """A yellow or red warning already sent for one task or application: the periodic job sends each
    once (safe to run twice)."""

    key = models.CharField(_("对象"), max_length=80)  # "task:<uuid>" or "application:<id>"
    level = models.CharField(_("预警级别"), max_length=8)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("预警通知")
        verbose_name_plural = _("预警通知")
        constraints = [models.UniqueConstraint(fields=["key", "level"], name="one_notice_per_level")]

    def __str__(self) -> str:
        return f"{self.key} {self.level}"
