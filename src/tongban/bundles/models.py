"""一件事 (bundle): several published catalogue items of one life event, applied for together."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BundleStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class Bundle(models.Model):
    code = models.SlugField(_("代码"), max_length=60, unique=True)
    name = models.CharField(_("一件事名称"), max_length=100)
    summary = models.TextField(_("简介"), blank=True)
    # Life-event phrases people type (开饭店, 开餐馆): a query naming one ranks the bundle first.
    life_events = models.JSONField(_("生活事件用语"), default=list, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=BundleStatus.choices, default=BundleStatus.DRAFT
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("一件事")
        verbose_name_plural = _("一件事")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class BundleItem(models.Model):
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey("catalog.ServiceItem", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["bundle", "item"], name="bundle_item_once")]

    def __str__(self) -> str:
        return f"{self.bundle_id}:{self.item_id}"


class BundleQuestion(models.Model):
    """情形问题: answered 是, it switches on the items it names; an item no question names always applies."""

    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("问题"), max_length=200)
    help_text = models.CharField(_("说明"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    switches = models.ManyToManyField(BundleItem, related_name="questions", verbose_name=_("适用事项"))

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("填写中")
    SUBMITTED = "submitted", _("已提交")


class BundleCase(models.Model):
    """One citizen's 一件事 application: the answers once, the linked applications (one per item)."""

    number = models.CharField(_("一件事编号"), max_length=32, unique=True, null=True, blank=True)
    bundle = models.ForeignKey(Bundle, on_delete=models.PROTECT, related_name="cases")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.DRAFT)
    situation = models.JSONField(_("情形答复"), default=dict, blank=True)  # question id (text) → bool
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("一件事办件")
        verbose_name_plural = _("一件事办件")
        constraints = [
            # A citizen resumes their draft of a bundle rather than opening a second one.
            models.UniqueConstraint(
                fields=["bundle", "applicant"],
                condition=models.Q(status="draft"),
                name="bundle_case_one_draft",
            )
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"


class BundleCaseLink(models.Model):
    case = models.ForeignKey(BundleCase, on_delete=models.CASCADE, related_name="links")
    application = models.OneToOneField("applications.Application", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey("catalog.ServiceItem", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.application_id}"
