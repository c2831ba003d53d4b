"""内部事项: requests staff start themselves (请示报告, 请假, 用印, 采购 …), their forms, and what the
initiator did to them (撤销, 催办)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RequestForm(models.Model):
    """The form an internal process asks its initiator to fill: a JSON Schema and UI schema pair
    checked by ``schemaforms.validate_schema``. A process names it by its ``form`` property."""

    key = models.SlugField(_("表单标识"), max_length=64, unique=True)
    name = models.CharField(_("表单名称"), max_length=200)
    schema = models.JSONField(_("JSON Schema"))
    ui_schema = models.JSONField(_("UI Schema"), default=dict)
    is_shipped = models.BooleanField(_("平台内置"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("内部事项表单")
        verbose_name_plural = _("内部事项表单")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name


class RequestStatus(models.TextChoices):
    RUNNING = "running", _("审批中")
    APPROVED = "approved", _("已同意")
    REJECTED = "rejected", _("未同意")
    CANCELLED = "cancelled", _("已撤销")
    TERMINATED = "terminated", _("已终止")


class InternalRequest(models.Model):
    """One request started from 发起; its workflow subject is ``request:<id>``."""

    number = models.CharField(_("编号"), max_length=32, unique=True, null=True, blank=True)
    definition_key = models.SlugField(_("流程标识"), max_length=64)
    definition_version = models.PositiveIntegerField(_("流程版本"))
    process_name = models.CharField(_("流程名称"), max_length=200)
    form_key = models.SlugField(_("表单标识"), max_length=64)
    initiator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("发起部门"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    answers = models.JSONField(_("表单内容"), default=dict)
    status = models.CharField(
        _("状态"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.RUNNING
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # The start page's one-time key: a retried 发起 (double click, reload) finds this request.
    idempotency_key = models.CharField(_("提交标识"), max_length=64)

    class Meta:
        verbose_name = _("内部事项")
        verbose_name_plural = _("内部事项")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiator", "idempotency_key"], name="one_request_per_submission"
            ),
            models.CheckConstraint(
                condition=Q(status="running") | Q(ended_at__isnull=False), name="ended_request_has_time"
            ),
        ]

    def __str__(self) -> str:
        return self.number or self.title

    @property
    def subject(self) -> str:
        return f"request:{self.pk}"


class RequestEvent(models.Model):
    """What the initiator did to the request outside the steps: 撤销, 催办 (at most once a step a day)."""

    class Kind(models.TextChoices):
        CANCELLED = "cancelled", _("撤销")
        NUDGED = "nudged", _("催办")

    request = models.ForeignKey(InternalRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("操作"), max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    task_id = models.UUIDField(_("环节"), null=True, blank=True)
    step = models.CharField(_("环节名称"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)
    day = models.DateField(_("日期"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("内部事项操作")
        verbose_name_plural = _("内部事项操作")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "task_id", "day"],
                condition=Q(kind="nudged"),
                name="one_nudge_per_step_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} {self.get_kind_display()} {self.step}".strip()
