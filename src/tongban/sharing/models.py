"""Data sharing under 政务数据共享条例 (STANDARDS.md §7): the resource catalog (信息资源目录), access
requests (共享申请), grants, the exchange clients of department systems and the usage log."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SharingType(models.TextChoices):
    OPEN = "open", _("无条件共享")
    CONDITIONAL = "conditional", _("有条件共享")
    NOT_SHARED = "not_shared", _("不予共享")


class SubjectKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ENTERPRISE = "enterprise", _("法人")


class DataResource(models.Model):
    """One entry of the 信息资源目录 with the catalog fields of STANDARDS.md §7.

    ``provider`` names the registered data provider (``sharing.providers``) that reads the data."""

    code = models.CharField(_("资源代码"), max_length=64, unique=True)
    name = models.CharField(_("资源名称"), max_length=200)
    classification = models.CharField(_("资源分类"), max_length=100)
    department = models.ForeignKey(
        "organizations.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("提供方")
    )
    summary = models.TextField(_("资源摘要"))
    data_format = models.CharField(_("资源格式"), max_length=50, default="接口（JSON）")
    subject_kind = models.CharField(_("查询主体"), max_length=16, choices=SubjectKind.choices)
    provider = models.CharField(_("数据提供程序"), max_length=100)
    sharing_type = models.CharField(_("共享类型"), max_length=16, choices=SharingType.choices)
    sharing_condition = models.TextField(_("共享条件"), blank=True)
    sharing_method = models.CharField(_("共享方式"), max_length=50, default="接口调用")
    not_shared_basis = models.TextField(_("不予共享依据"), blank=True)
    open_attribute = models.CharField(_("开放属性"), max_length=50, default="不予开放")
    update_cycle = models.CharField(_("更新周期"), max_length=50, default="实时")
    published_on = models.DateField(_("发布日期"), default=timezone.localdate)
    related_resources = models.CharField(_("关联资源代码"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("信息资源")
        verbose_name_plural = _("信息资源目录")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sharing_type="not_shared") | ~Q(not_shared_basis=""),
                name="sharing_not_shared_needs_basis",
            ),
            models.CheckConstraint(
                condition=~Q(sharing_type="conditional") | ~Q(sharing_condition=""),
                name="sharing_conditional_needs_condition",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DataItem(models.Model):
    """A data item (信息项) of a resource: name and type."""

    resource = models.ForeignKey(DataResource, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(_("信息项代码"), max_length=64)
    name = models.CharField(_("信息项名称"), max_length=100)
    data_type = models.CharField(_("数据类型"), max_length=20, default="字符型")
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("信息项")
        verbose_name_plural = _("信息项")
        ordering = ["resource", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["resource", "key"], name="sharing_item_key_unique")]

    def __str__(self) -> str:
        return self.name


class ExchangeClient(models.Model):
    """A department system that calls the exchange API: one OAuth2 client (client credentials) each.

    ``is_platform`` marks the platform's own client (网上申请预填 and other internal uses)."""

    name = models.CharField(_("系统名称"), max_length=200, unique=True)
    department = models.ForeignKey(
        "organizations.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属部门")
    )
    oauth_application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.PROTECT,
        related_name="exchange_client",
        verbose_name=_("OAuth2 客户端"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    is_platform = models.BooleanField(_("平台自用"), default=False)
    created_at = models.DateTimeField(_("注册时间"), default=timezone.now)

    class Meta:
        verbose_name = _("交换客户端")
        verbose_name_plural = _("交换客户端")
        constraints = [
            models.UniqueConstraint(
                fields=["is_platform"], condition=Q(is_platform=True), name="sharing_one_platform_client"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ExchangeRequest(models.Model):
    """One write request of an exchange client by its ``Idempotency-Key`` (THREATS T-D4). The first
    answer is kept, so a replay gets it back and has no second effect (no second usage-log row).

    ``fingerprint`` is a keyed hash of the request (it holds an ID number), to tell a replay from another
    request reusing the key. Rows are deleted after ``services.replay.KEPT_FOR``."""

    client = models.ForeignKey(ExchangeClient, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("幂等键"), max_length=64)
    fingerprint = models.CharField(max_length=64)
    received_at = models.DateTimeField(_("收到时间"), default=timezone.now, db_index=True)
    status = models.PositiveSmallIntegerField(_("应答状态"))
    answer = models.JSONField(_("应答内容"), encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("交换写请求")
        verbose_name_plural = _("交换写请求")
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="sharing_exchange_request_key")]

    def __str__(self) -> str:
        return f"{self.client_id} {self.key}"


class AccessRequest(models.Model):
    """共享申请 for a 有条件共享 resource: purpose, items, period; the provider answers within 10 working
    days and gives reasons when refusing."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待答复")
        APPROVED = "approved", _("已同意")
        REFUSED = "refused", _("不同意")

    resource = models.ForeignKey(DataResource, on_delete=models.PROTECT, related_name="access_requests")
    department = models.ForeignKey(
        "organizations.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("申请部门")
    )
    purpose = models.CharField(_("用途"), max_length=200)
    item_keys = models.JSONField(_("申请的信息项"), default=list)
    valid_from = models.DateField(_("使用期限起"))
    valid_until = models.DateField(_("使用期限止"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    requested_by_id = models.BigIntegerField(_("申请人"), null=True, blank=True)
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    answer_due = models.DateField(_("答复期限"))
    decided_by_id = models.BigIntegerField(_("答复人"), null=True, blank=True)
    decided_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    refusal_reason = models.TextField(_("不同意的理由"), blank=True)

    class Meta:
        verbose_name = _("共享申请")
        verbose_name_plural = _("共享申请")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")), name="sharing_request_period_order"
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""), name="sharing_refusal_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource.name} · {self.purpose}"


class Grant(models.Model):
    """Permission for one department to use some items of a resource for one purpose within a period."""

    resource = models.ForeignKey(DataResource, on_delete=models.PROTECT, related_name="grants")
    department = models.ForeignKey(
        "organizations.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("使用部门")
    )
    purpose = models.CharField(_("用途"), max_length=200)
    item_keys = models.JSONField(_("授权的信息项"), default=list)
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期止"))
    access_request = models.OneToOneField(
        AccessRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="grant"
    )
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("共享授权")
        verbose_name_plural = _("共享授权")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")), name="sharing_grant_period_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource.name} · {self.purpose}"


class UsageOutcome(models.TextChoices):
    SERVED = "served", _("已提供")
    NOT_FOUND = "not_found", _("无此主体")
    REFUSED = "refused", _("已拒绝")


class UsageChainHead(models.Model):
    """The head of one hash chain of the usage log: its last sequence number and hash; the primary key is
    the chain number. Appends lock a head (``select_for_update``, skipping heads other writers hold on
    PostgreSQL), so two writers never add two rows on the same predecessor, and writers on different
    chains do not wait for each other."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("使用记录链头")
        verbose_name_plural = _("使用记录链头")

    def __str__(self) -> str:
        return f"{self.pk}:#{self.seq} {self.hash[:12]}"


class UsageLogEntry(models.Model):
    """One use of shared data (数据使用记录), refusals included; a link of one of a few SHA-256 hash
    chains: ``hash = SHA-256(prev_hash ‖ canonical(row))`` with a gap-free ``seq`` within its ``chain``
    (THREATS T-E1, T-E2). ``id`` orders rows across chains (newest first in every list).

    Names are copied, not referenced, so the record reads the same after a rename. The subject is
    the resident-ID keyed hash (never the number) or the USCC.
    """

    APPEND_ONLY = True  # the application's database role may only add and read (``restrict_db_role``)

    chain = models.PositiveSmallIntegerField(_("链"), default=1)
    seq = models.BigIntegerField(_("序号"))
    created_at = models.DateTimeField(_("时间"))
    channel = models.CharField(_("渠道"), max_length=16)  # api, platform
    client_id_ref = models.BigIntegerField(_("客户端"), null=True)
    department_id_ref = models.BigIntegerField(_("使用部门"), null=True)
    department_name = models.CharField(_("使用部门"), max_length=200)
    resource_code = models.CharField(_("资源代码"), max_length=64)
    resource_name = models.CharField(_("资源名称"), max_length=200)
    subject_kind = models.CharField(_("主体类型"), max_length=16)
    subject_key = models.CharField(_("主体标识"), max_length=64)
    subject_masked = models.CharField(_("主体"), max_length=18)
    item_names = models.JSONField(_("信息项"), default=list)
    purpose = models.CharField(_("用途"), max_length=200)
    case_ref = models.CharField(_("业务编号"), max_length=100)
    outcome = models.CharField(_("结果"), max_length=16, choices=UsageOutcome.choices)
    reason = models.CharField(_("说明"), max_length=200)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("数据使用记录")
        verbose_name_plural = _("数据使用记录")
        ordering = ["chain", "seq"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="sharing_usage_chain_seq")]
        # Every list reads newest first (``-id``) under an equality filter; keyset pages continue below
        # the last id shown.
        indexes = [
            models.Index(fields=["subject_kind", "subject_key", "-id"], name="sharing_usage_subject_id"),
            models.Index(fields=["resource_code", "-id"], name="sharing_usage_resource_id"),
        ]

    def __str__(self) -> str:
        return f"{self.chain}:#{self.seq} {self.department_name} {self.resource_name}"
