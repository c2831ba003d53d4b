"""督办事项: a commitment the government tracks — from a leader's 批示 on a 收文, a meeting decision, a
work plan item — with its lead and assisting departments, 阶段反馈, 延期 requests and the final 评价."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemStatus(models.TextChoices):
    OPENED = "opened", _("已立项")
    ASSIGNED = "assigned", _("待签收")
    IN_PROGRESS = "in_progress", _("办理中")
    CLOSING = "closing", _("待审核办结")
    CLOSED = "closed", _("已办结")
    EVALUATED = "evaluated", _("已评价")


class FeedbackCycle(models.TextChoices):
    ONCE = "once", _("一次性反馈")
    WEEKLY = "weekly", _("每周反馈")
    MONTHLY = "monthly", _("每月反馈")


class TrackingLevel(models.TextChoices):
    ORDINARY = "ordinary", _("一般督办")
    KEY = "key", _("重点督办")
    LEADER = "leader", _("领导交办")


class Evaluation(models.TextChoices):
    EXCELLENT = "excellent", _("好")
    GOOD = "good", _("较好")
    FAIR = "fair", _("一般")
    POOR = "poor", _("差")


class TrackingItem(models.Model):
    number = models.CharField(_("督办编号"), max_length=32, unique=True)
    title = models.CharField(_("督办事项"), max_length=200)
    source_kind = models.CharField(_("来源类型"), max_length=32)
    source_id = models.CharField(_("来源编号"), max_length=64, blank=True)
    source_label = models.CharField(_("来源"), max_length=200, blank=True)
    requirement = models.TextField(_("督办要求"))
    # The 督查室 that opened and follows the item: its tracking officers act on it.
    office_department = models.ForeignKey(
        "organizations.Department", verbose_name=_("督查部门"), on_delete=models.PROTECT, related_name="+"
    )
    lead_department = models.ForeignKey(
        "organizations.Department", verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="+"
    )
    assisting_departments = models.ManyToManyField(
        "organizations.Department", verbose_name=_("协办单位"), related_name="+", blank=True
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批示领导"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    level = models.CharField(_("督办级别"), max_length=16, choices=TrackingLevel.choices)
    deadline_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"))
    cycle = models.CharField(_("反馈周期"), max_length=16, choices=FeedbackCycle.choices)
    status = models.CharField(_("状态"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.OPENED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("立项人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("立项时间"))
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    due_date = models.DateField(_("办结期限"), null=True, blank=True)
    extended_days = models.PositiveSmallIntegerField(_("延期（工作日）"), default=0)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签收人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    result = models.TextField(_("办理结果"), blank=True)
    closing_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请办结人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closing_requested_at = models.DateTimeField(_("申请办结时间"), null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)
    returned_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    evaluation = models.CharField(_("评价"), max_length=16, choices=Evaluation.choices, blank=True)
    evaluation_note = models.TextField(_("评价意见"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评价人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    evaluated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    last_nudged_at = models.DateTimeField(_("最近催办时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="tracking_status_due_idx"),
            models.Index(fields=["lead_department", "status"], name="tracking_lead_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline_days__gte=1), name="tracking_deadline_at_least_one_day"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (ItemStatus.ASSIGNED, ItemStatus.IN_PROGRESS, ItemStatus.CLOSING)


class Feedback(models.Model):
    """阶段反馈 (or the 办结 request's results): text, attachments, and whether it came after the
    cycle's due date it answers (``is_late``, stored when it is given)."""

    item = models.ForeignKey(TrackingItem, on_delete=models.CASCADE, related_name="feedbacks")
    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("反馈单位"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("反馈人"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("反馈内容"))
    submitted_at = models.DateTimeField(_("反馈时间"))
    due_date = models.DateField(_("应反馈日期"), null=True, blank=True)
    is_late = models.BooleanField(_("逾期反馈"), default=False)
    is_final = models.BooleanField(_("办结材料"), default=False)

    class Meta:
        verbose_name = _("阶段反馈")
        verbose_name_plural = _("阶段反馈")
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return self.text[:50]


class FeedbackAttachment(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("文件名"), max_length=200)
    mime_type = models.CharField(_("文件类型"), max_length=100)
    sha256 = models.CharField(_("文件摘要"), max_length=64)
    content = models.BinaryField(_("内容"))

    class Meta:
        verbose_name = _("反馈附件")
        verbose_name_plural = _("反馈附件")

    def __str__(self) -> str:
        return self.name


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已同意")
    REFUSED = "refused", _("不同意")


class ExtensionRequest(models.Model):
    item = models.ForeignKey(TrackingItem, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("延期天数（工作日）"))
    reason = models.TextField(_("延期理由"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"))
    status = models.CharField(
        _("审批状态"), max_length=16, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    old_due_date = models.DateField(_("原办结期限"), null=True, blank=True)
    new_due_date = models.DateField(_("新办结期限"), null=True, blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(status="pending"),
                name="tracking_one_pending_extension",
            ),
        ]

    def __str__(self) -> str:
        return self.reason[:50]


class ItemEvent(models.Model):
    """The item's record: who did what when (立项, 交办, 签收, 反馈, 催办, 延期, 办结, 退回, 评价)."""

    item = models.ForeignKey(TrackingItem, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.action
