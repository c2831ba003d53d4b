"""好差评 (GB/T 39734-2020, 国办发〔2019〕51号): one rating per application per channel, and the
rectification (差评整改) a bad rating opens for the handling department."""

import datetime as dt
import uuid

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    BASICALLY_SATISFIED = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


BAD_LEVELS = (Level.DISSATISFIED, Level.VERY_DISSATISFIED)
ASPECTS = ("level", "efficiency", "guide_accuracy", "convenience", "platform_usability")


class Channel(models.TextChoices):
    ONLINE = "online", _("网上")
    WINDOW = "window", _("窗口")
    MOBILE = "mobile", _("移动端")
    HOTLINE = "hotline", _("12345热线")


class Rating(models.Model):
    application = models.ForeignKey(
        "applications.Application", verbose_name=_("办件"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("被评价部门"), on_delete=models.PROTECT, related_name="+"
    )
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评价人"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("评价渠道"), max_length=16, choices=Channel.choices, default=Channel.ONLINE)
    level = models.PositiveSmallIntegerField(_("总体评价"), choices=Level.choices)
    efficiency = models.PositiveSmallIntegerField(_("办事效率"), choices=Level.choices)
    guide_accuracy = models.PositiveSmallIntegerField(_("办事指南准确性"), choices=Level.choices)
    convenience = models.PositiveSmallIntegerField(_("办理便利度"), choices=Level.choices)
    platform_usability = models.PositiveSmallIntegerField(_("平台好用程度"), choices=Level.choices)
    comment = models.TextField(_("评价内容"), blank=True)
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "channel"], name="one_rating_per_application_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.get_level_display()}"

    @property
    def is_bad(self) -> bool:
        return self.level in BAD_LEVELS

    @property
    def answers(self) -> list[tuple[str, str]]:
        """(question, answer) of the five national questions, overall first."""
        return [
            (str(self._meta.get_field(name).verbose_name), getattr(self, f"get_{name}_display")())
            for name in ASPECTS
        ]


def _storage() -> Storage:
    """Attachments go to the private "materials" storage: never served by URL, only through the
    views that check who asks (T-C7)."""
    return storages["materials"]


def _attachment_key(instance: "RectificationAttachment", filename: str) -> str:
    # A server-generated key; the uploaded file name is display-only (T-C4).
    return f"rectifications/{instance.reply_id}/{uuid.uuid4().hex}"


class Rectification(models.Model):
    """差评整改: the handling department answers a bad rating (整改情况), contacts the rater (回访) and
    closes it, all by its due date. After a 回访 the rater was not satisfied with, the department may
    answer again (再次整改)."""

    class Status(models.TextChoices):
        OPEN = "open", _("待整改")
        REPLIED = "replied", _("待回访")
        FOLLOWED_UP = "followed_up", _("待办结")
        DONE = "done", _("已办结")

    rating = models.OneToOneField(
        Rating, verbose_name=_("差评"), on_delete=models.PROTECT, related_name="rectification"
    )
    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("整改部门"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["department", "status"], name="rectification_dept_status")]

    def __str__(self) -> str:
        return f"整改 {self.rating_id}"

    def is_overdue(self, today: dt.date) -> bool:
        """Not closed, and its due date (the last day allowed) is behind ``today``."""
        return self.status != self.Status.DONE and today > self.due_date


class RectificationReply(models.Model):
    """整改情况: what the department did about the bad rating."""

    rectification = models.ForeignKey(
        Rectification, verbose_name=_("差评整改"), on_delete=models.CASCADE, related_name="replies"
    )
    text = models.TextField(_("整改情况"))
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="+"
    )
    replied_at = models.DateTimeField(_("填报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改情况")
        verbose_name_plural = _("整改情况")
        ordering = ["replied_at", "id"]

    def __str__(self) -> str:
        return f"整改情况 {self.rectification_id}"


class RectificationAttachment(models.Model):
    """A file attached to a 整改情况 (a scan of the improved notice, a training record)."""

    reply = models.ForeignKey(
        RectificationReply, verbose_name=_("整改情况"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("文件"), storage=_storage, upload_to=_attachment_key, max_length=200)
    display_name = models.CharField(_("文件名"), max_length=120)
    kind = models.CharField(_("文件类型"), max_length=8)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改附件")
        verbose_name_plural = _("整改附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.display_name


class FollowUpResult(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class FollowUp(models.Model):
    """回访: the department contacted the rater after its 整改情况 and records what they said
    (real-name bad ratings get 100 % follow-up, STANDARDS.md §3)."""

    rectification = models.ForeignKey(
        Rectification, verbose_name=_("差评整改"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    result = models.CharField(_("回访结果"), max_length=16, choices=FollowUpResult.choices)
    note = models.TextField(_("回访情况"), blank=True)
    contacted_on = models.DateField(_("回访日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("回访人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("回访")
        verbose_name_plural = _("回访")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"回访 {self.rectification_id} {self.result}"

    @property
    def is_satisfied(self) -> bool:
        return self.result == FollowUpResult.SATISFIED
