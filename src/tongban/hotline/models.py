"""12345 / 市长信箱 work orders (STANDARDS §5): categories, the time-limit table, routing rules, the work
order with its record (``OrderEvent``), 派单 decisions (kept as training data) and 延期 requests."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """诉求分类: the built-in list (hotline.categories, copied by migration 0002) and a city's own."""

    code = models.SlugField(_("分类代码"), max_length=40, unique=True)
    name = models.CharField(_("分类名称"), max_length=50)
    scope = models.CharField(_("适用范围"), max_length=200, blank=True)
    is_builtin = models.BooleanField(_("内置"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("诉求分类")
        verbose_name_plural = _("诉求分类")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class OrderType(models.TextChoices):
    CONSULT = "consult", _("咨询")
    HELP = "help", _("求助")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    SUGGESTION = "suggestion", _("建议")
    PRAISE = "praise", _("表扬")


class Urgency(models.TextChoices):
    URGENT = "urgent", _("紧急")
    UTILITY = "utility", _("水电气暖急修")
    GENERAL = "general", _("一般")
    COMPLEX = "complex", _("疑难复杂")


class LimitUnit(models.TextChoices):
    HOURS = "hours", _("小时（自然时）")
    WORKING_DAYS = "working_days", _("工作日")


class TimeLimit(models.Model):
    """办理时限: per order type and urgency, in natural hours or working days (core.calendar)."""

    order_type = models.CharField(_("诉求类型"), max_length=16, choices=OrderType.choices)
    urgency = models.CharField(_("紧急程度"), max_length=16, choices=Urgency.choices)
    amount = models.PositiveSmallIntegerField(_("时限"))
    unit = models.CharField(_("单位"), max_length=16, choices=LimitUnit.choices)

    class Meta:
        verbose_name = _("办理时限")
        verbose_name_plural = _("办理时限")
        ordering = ["order_type", "urgency"]
        constraints = [
            models.UniqueConstraint(fields=["order_type", "urgency"], name="hotline_one_limit_per_type"),
            models.CheckConstraint(condition=models.Q(amount__gte=1), name="hotline_limit_at_least_one"),
        ]

    def __str__(self) -> str:
        return f"{self.order_type}/{self.urgency}"


class RoutingRule(models.Model):
    """派单规则: a category (and a region, or any region) → the lead department and assisting ones.
    Of the rules that match, the highest priority wins, then the most specific region."""

    category = models.ForeignKey(Category, verbose_name=_("诉求分类"), on_delete=models.CASCADE)
    region = models.ForeignKey(
        "organizations.Region",
        verbose_name=_("区域"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    lead_department = models.ForeignKey(
        "organizations.Department", verbose_name=_("承办单位"), on_delete=models.CASCADE, related_name="+"
    )
    assisting_departments = models.ManyToManyField(
        "organizations.Department", verbose_name=_("协办单位"), related_name="+", blank=True
    )
    priority = models.SmallIntegerField(_("优先级"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("派单规则")
        verbose_name_plural = _("派单规则")
        ordering = ["category__position", "category__code", "region__code", "-priority", "id"]

    def __str__(self) -> str:
        return f"{self.category_id}/{self.region_id}"


class Channel(models.TextChoices):
    PORTAL = "portal", _("网上诉求")
    MAYOR = "mayor", _("市长信箱")
    DEPARTMENT = "department", _("部门信箱")
    PHONE = "phone", _("12345热线电话")


class State(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    ACCEPTED = "accepted", _("待派单")
    DISPATCHED = "dispatched", _("待签收")
    RETURNED = "returned", _("被退回")
    HANDLING = "handling", _("办理中")
    REPLIED = "replied", _("待审核回复")
    CLOSED = "closed", _("已办结")
    FOLLOWED_UP = "followed_up", _("已回访")
    RATED = "rated", _("已评价")
    MERGED = "merged", _("已并单")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class Warning(models.TextChoices):
    NONE = "", _("正常")
    YELLOW = "yellow", _("黄牌预警")
    RED = "red", _("红牌超期")


class DailyCounter(models.Model):
    """The last number given on a day (12345-YYYYMMDD-NNNN), locked while numbering."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("工单编号")
        verbose_name_plural = _("工单编号")

    def __str__(self) -> str:
        return f"{self.day}:{self.last}"


class WorkOrder(models.Model):
    number = models.CharField(_("工单编号"), max_length=24, unique=True)
    channel = models.CharField(_("来源渠道"), max_length=16, choices=Channel.choices)
    mailbox_department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("部门信箱"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("诉求人账号"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    requester_name = models.CharField(_("诉求人"), max_length=50)
    requester_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    confidential = models.BooleanField(_("保密"), default=False)
    order_type = models.CharField(_("诉求类型"), max_length=16, choices=OrderType.choices)
    category = models.ForeignKey(
        Category,
        verbose_name=_("诉求分类"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    suggested_category = models.ForeignKey(
        Category,
        verbose_name=_("建议分类"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    suggested_confidence = models.FloatField(_("建议置信度"), null=True, blank=True)
    region = models.ForeignKey(
        "organizations.Region",
        verbose_name=_("所在区域"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    title = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("诉求内容"))
    tokens = models.TextField(_("分词"), blank=True)  # core.search.index_tokens, for 并单 suggestions
    urgency = models.CharField(_("紧急程度"), max_length=16, choices=Urgency.choices, default=Urgency.GENERAL)
    lead_department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assisting_departments = models.ManyToManyField(
        "organizations.Department", verbose_name=_("协办单位"), related_name="+", blank=True
    )
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.SUBMITTED)
    created_at = models.DateTimeField(_("提交时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    idempotency_key = models.CharField(_("提交标识"), max_length=64, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("派单时间"), null=True, blank=True)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    due_at = models.DateTimeField(_("办理期限"), null=True, blank=True)
    return_count = models.PositiveSmallIntegerField(_("退单次数"), default=0)
    supervised = models.BooleanField(_("督办"), default=False)
    warning = models.CharField(_("预警"), max_length=8, choices=Warning.choices, blank=True, default="")
    reply = models.TextField(_("答复意见"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    followup_result = models.TextField(_("回访情况"), blank=True)
    followed_up_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    satisfaction = models.CharField(
        _("满意度"), max_length=16, choices=Satisfaction.choices, blank=True, default=""
    )
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    publish_consent = models.BooleanField(_("同意公开"), default=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("并入工单"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
    )

    class Meta:
        verbose_name = _("诉求工单")
        verbose_name_plural = _("诉求工单")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "due_at"], name="hotline_state_due_idx"),
            models.Index(fields=["lead_department", "state"], name="hotline_lead_state_idx"),
            models.Index(fields=["requester", "created_at"], name="hotline_requester_idx"),
            models.Index(fields=["created_at"], name="hotline_created_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="hotline_one_order_per_submission",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class OrderEvent(models.Model):
    """The order's record, shown as a timeline: who did what when."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("工单记录")
        verbose_name_plural = _("工单记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.action


class DispatchDecision(models.Model):
    """One 派单 or 改派: what the classifier and the routing rules suggested and what the dispatcher
    chose (the classifier's training data: the chosen category)."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="decisions")
    suggested_category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    chosen_category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    suggested_department = models.ForeignKey(
        "organizations.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    chosen_department = models.ForeignKey(
        "organizations.Department", on_delete=models.PROTECT, related_name="+"
    )
    category_overridden = models.BooleanField(default=False)
    department_overridden = models.BooleanField(default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        verbose_name = _("派单记录")
        verbose_name_plural = _("派单记录")
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}:{self.chosen_category_id}"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已同意")
    REFUSED = "refused", _("不同意")


class ExtensionRequest(models.Model):
    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("延期天数（工作日）"))
    reason = models.TextField(_("延期理由"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"))
    status = models.CharField(
        _("审批状态"), max_length=16, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    new_due_at = models.DateTimeField(_("新的办理期限"), null=True, blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"], condition=models.Q(status="pending"), name="hotline_one_pending_extension"
            ),
        ]

    def __str__(self) -> str:
        return self.reason[:50]
