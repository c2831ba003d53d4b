"""好差评 (GB/T 39734-2020, 国办发〔2019〕51号): one rating per application per channel, and the
rectification (差评整改) a bad rating opens for the handling department."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    BASICALLY_SATISFIED = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


BAD_LEVELS = (Level.DISSATISFIED, Level.VERY_DISSATISFIED)


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


class Rectification(models.Model):
    """差评整改: the handling department answers a bad rating by its due date."""

    class Status(models.TextChoices):
        OPEN = "open", _("待整改")
        DONE = "done", _("已整改")

    rating = models.OneToOneField(
        Rating, verbose_name=_("差评"), on_delete=models.PROTECT, related_name="rectification"
    )
    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("整改部门"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    response = models.TextField(_("整改情况"), blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["due_date"]

    def __str__(self) -> str:
        return f"整改 {self.rating_id}"
