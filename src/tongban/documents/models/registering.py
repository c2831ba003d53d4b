"""收文办理 (issue 15): 登记 numbers (收文号) per department and year, what each step of the handling
recorded (拟办, 领导批示 with its handwritten signature, 承办 per department, 办结 and its 答复), and
传阅 with its read receipts (待阅/已阅)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongban.documents.models.document import OfficialDocument
from tongban.documents.models.incoming import ReceivedDocument


class RegistrationCounter(models.Model):
    """The last 收文号 given by a department in a year; read and bumped under ``select_for_update`` so
    numbers have no gaps and no duplicates."""

    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("收文部门"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用序号"), default=0)

    class Meta:
        verbose_name = _("收文号计数")
        verbose_name_plural = _("收文号计数")
        constraints = [
            models.UniqueConstraint(fields=["department", "year"], name="documents_one_counter_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.department_id} {self.year}: {self.last}"


class IncomingHandling(models.Model):
    """The 收文办理单 of a registered 收文: what 拟办, 批示 and 办结 wrote (the process record keeps every
    step too; this is the sheet's own copy)."""

    received = models.OneToOneField(ReceivedDocument, on_delete=models.CASCADE, related_name="handling")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    proposal = models.TextField(_("拟办意见"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("拟办人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("拟办时间"), null=True, blank=True)
    instruction = models.TextField(_("领导批示"), blank=True)
    instructed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批示领导"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    instructed_at = models.DateTimeField(_("批示时间"), null=True, blank=True)
    # The handwritten signature of 批示: a PNG checked and re-encoded on the server.
    signature_image = models.BinaryField(_("手写签批"), null=True, blank=True, editable=False)
    handling_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"), null=True, blank=True)
    closing_note = models.TextField(_("办结说明"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    # 答复: the 发文 (批复, 函) of this platform that answers the received document.
    reply = models.ForeignKey(
        OfficialDocument,
        verbose_name=_("答复公文"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answers",
    )
    circulation_closed_at = models.DateTimeField(_("传阅结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("收文办理单")
        verbose_name_plural = _("收文办理单")

    def __str__(self) -> str:
        return str(self.received)


class HandlingAssignment(models.Model):
    """承办 by one department: chosen at 批示, with its due date and, once done, its result."""

    received = models.ForeignKey(ReceivedDocument, on_delete=models.CASCADE, related_name="assignments")
    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+"
    )
    slot = models.PositiveSmallIntegerField(_("序号"))
    due_date = models.DateField(_("办理时限"), null=True, blank=True)
    result = models.TextField(_("办理结果"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("办理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("承办")
        verbose_name_plural = _("承办")
        ordering = ["received", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["received", "slot"], name="documents_one_assignment_per_slot"),
            models.UniqueConstraint(
                fields=["received", "department"], name="documents_department_handles_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.received_id} {self.department_id}"


class HandlingAttachment(models.Model):
    """A file a 承办 department attached to its result (checked by core.uploads)."""

    assignment = models.ForeignKey(HandlingAssignment, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("文件名"), max_length=200)
    content = models.BinaryField(_("内容"), editable=False)
    mime_type = models.CharField(_("类型"), max_length=100)
    sha256 = models.CharField(_("摘要"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("承办附件")
        verbose_name_plural = _("承办附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Circulation(models.Model):
    """传阅: the 收文 sent to one person to read (待阅 until they mark it 已阅; ``read_at`` is the read
    receipt, set once)."""

    received = models.ForeignKey(ReceivedDocument, on_delete=models.CASCADE, related_name="circulations")
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("传阅对象"), on_delete=models.PROTECT, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("送阅人"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("送阅时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("传阅")
        verbose_name_plural = _("传阅")
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["received", "reader"], name="documents_circulated_once")
        ]
        indexes = [models.Index(fields=["reader", "read_at", "-sent_at"], name="circulation_inbox_idx")]

    def __str__(self) -> str:
        return f"{self.received_id} → {self.reader_id}"


class IncomingNudge(models.Model):
    """催办 of an open step of a 收文 by its department's 文书人员: at most once per step per day."""

    received = models.ForeignKey(ReceivedDocument, on_delete=models.CASCADE, related_name="nudges")
    task_id = models.UUIDField(_("环节"))
    step = models.CharField(_("环节名称"), max_length=200)
    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("办理部门"), on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("催办人"), on_delete=models.PROTECT, related_name="+"
    )
    told = models.TextField(_("通知对象"), blank=True)
    day = models.DateField(_("日期"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("收文催办")
        verbose_name_plural = _("收文催办")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task_id", "day"], name="documents_one_nudge_per_step_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.received_id} {self.step}"
