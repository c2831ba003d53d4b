from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message in a person's in-app inbox (站内消息); SMS and email copies go out beside it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # both indexes below start with it
    )
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"))
    link = models.CharField(_("链接"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    # What the message announces (e.g. "application-event:42"), when it must be sent once only: a
    # task run twice (a worker lost after sending, acks_late) finds it and sends nothing again.
    key = models.CharField(_("消息标识"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            # 我的消息: a person's newest messages first (selectors.inbox), read from the index in
            # order, not sorted from all of their messages (three or more per application).
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=~models.Q(key=""), name="notification_sent_once"
            )
        ]

    def __str__(self) -> str:
        return self.title
