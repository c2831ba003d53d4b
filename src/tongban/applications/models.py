"""Applications (办件): one applicant's request for one catalog item, from draft to closure."""

import uuid

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待预审")
    CORRECTION_REQUESTED = "correction_requested", _("待补正")
    ACCEPTED = "accepted", _("已受理")
    DECLINED = "declined", _("不予受理")
    CLOSED = "closed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")


class ApplicationResult(models.TextChoices):
    APPROVED = "approved", _("准予")
    DENIED = "denied", _("不予")
    VOIDED = "voided", _("作废")


class DeliveryMethod(models.TextChoices):
    WINDOW = "window", _("窗口领取")
    POST = "post", _("邮寄送达")
    ELECTRONIC = "electronic", _("电子送达")


class Application(models.Model):
    number = models.CharField(_("办件编号"), max_length=32, unique=True, null=True, blank=True)
    item = models.ForeignKey(
        "catalog.ServiceItem", verbose_name=_("事项"), on_delete=models.PROTECT, related_name="+"
    )
    item_version = models.ForeignKey(
        "catalog.ServiceItemVersion", verbose_name=_("事项版本"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("受理部门"), on_delete=models.PROTECT, related_name="+"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人账户"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # application_mine starts with it
    )
    applicant_name = models.CharField(_("申请人"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=32, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    # Resident ID numbers are stored masked here and encrypted in encrypted_answers (answers.py, T-M7).
    form_data = models.JSONField(_("申请表内容"), default=dict, blank=True)
    encrypted_answers = models.JSONField(_("加密的填报项"), default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    promised_finish_date = models.DateField(_("承诺办结日期"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    result = models.CharField(_("办理结果"), max_length=16, choices=ApplicationResult.choices, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    delivery_method = models.CharField(
        _("送达方式"), max_length=16, choices=DeliveryMethod.choices, blank=True
    )
    # The draft's uses of the data exchange, made once (每次使用一条数据使用记录, not one per page view):
    # the registry values offered on the form (None until asked) and when the applicant's e-licenses
    # were looked up for 免提交.
    prefill = models.JSONField(_("预填内容"), null=True, blank=True)
    held_licenses_checked_at = models.DateTimeField(_("电子证照查询时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-created_at"]
        indexes = [
            # 我的办件 (selectors.applications_page_of): one applicant's applications, newest first,
            # read a page at a time from a keyset cursor.
            models.Index(fields=["applicant", "-created_at", "-id"], name="application_mine"),
            # The supervision board and the deadline job (selectors.case_clocks): open cases, oldest
            # first, of some departments or of the city.
            models.Index(
                fields=["department", "submitted_at", "id"],
                condition=Q(status__in=("submitted", "accepted", "correction_requested")),
                name="open_case_department_idx",
            ),
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(status__in=("submitted", "accepted", "correction_requested")),
                name="open_case_idx",
            ),
            # Red cards (selectors.overdue_case_count): open cases past their promised date, city-wide
            # or of some departments, read from the overdue end of the index only.
            models.Index(
                fields=["promised_finish_date", "department"],
                condition=Q(status__in=("submitted", "accepted", "correction_requested")),
                name="open_case_promised_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(number__isnull=False, submitted_at__isnull=False),
                name="submitted_application_has_number",
            )
        ]

    def __str__(self) -> str:
        return self.number or f"草稿 {self.pk}"


class ApplicationEvent(models.Model):
    """Status history: every change of state, who made it, when and why (shown to the applicant)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("原状态"), max_length=32, choices=ApplicationStatus.choices)
    to_status = models.CharField(_("新状态"), max_length=32, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("办件状态记录")
        verbose_name_plural = _("办件状态记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application} {self.from_status}→{self.to_status}"


class CorrectionRequest(models.Model):
    """补正: what the applicant must fix; the clock is paused from ``requested_at`` to ``resolved_at``."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="corrections")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("要求补正人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("要求补正时间"), auto_now_add=True)
    reason = models.TextField(_("补正说明"))
    fields = models.JSONField(_("须修改的填报项"), default=list, blank=True)
    material_ids = models.JSONField(_("须补正的材料"), default=list, blank=True)
    # What the applicant has done so far: fields looked at and saved, materials given a new file.
    confirmed_fields = models.JSONField(_("已确认的填报项"), default=list, blank=True)
    replaced_material_ids = models.JSONField(_("已重新上传的材料"), default=list, blank=True)
    resolved_at = models.DateTimeField(_("补正完成时间"), null=True, blank=True)
    # Correction at intake returns to 待预审, during review to 已受理.
    resumes_status = models.CharField(
        _("补正后状态"), max_length=32, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )

    class Meta:
        verbose_name = _("补正告知")
        verbose_name_plural = _("补正告知")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=Q(resolved_at__isnull=True), name="one_open_correction"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} 补正"


class SpecialProcedureRun(models.Model):
    """特别程序 (听证, 检验检测, 专家评审 …): the clock is paused from ``started_at`` to ``ended_at``."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="special_procedures")
    kind = models.CharField(_("特别程序种类"), max_length=50)
    reason = models.TextField(_("启动理由"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("启动人"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    outcome = models.TextField(_("结论"), blank=True)

    class Meta:
        verbose_name = _("特别程序")
        verbose_name_plural = _("特别程序")
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=Q(ended_at__isnull=True), name="one_open_special_procedure"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.kind}"


class ProcessBinding(models.Model):
    """Which process definition an item's applications run, and which department handles each lane
    of it (并联审批). Items without a binding run the shipped standard, or instant (即办), process."""

    item = models.OneToOneField(
        "catalog.ServiceItem", verbose_name=_("事项"), on_delete=models.CASCADE, related_name="+"
    )
    definition_key = models.SlugField(_("流程标识"), max_length=64)
    lane_departments = models.JSONField(_("泳道对应部门"), default=dict, blank=True)

    class Meta:
        verbose_name = _("事项办理流程")
        verbose_name_plural = _("事项办理流程")

    def __str__(self) -> str:
        return f"{self.item} → {self.definition_key}"


def materials_storage() -> Storage:
    """The private "materials" storage: never served by URL, only through authorising views (T-C7)."""
    return storages["materials"]


def _material_key(instance: "MaterialFile", filename: str) -> str:
    # A server-generated key; the person's file name is display-only (T-C4).
    return f"{instance.application_id}/{uuid.uuid4().hex}"


class MaterialFile(models.Model):
    """A file an applicant uploaded for one required material (申请材料) of the item version."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    requirement_id = models.PositiveIntegerField(_("材料要求"))
    file = models.FileField(_("文件"), storage=materials_storage, upload_to=_material_key, max_length=200)
    display_name = models.CharField(_("文件名"), max_length=120)
    kind = models.CharField(_("文件类型"), max_length=8)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # 免提交: the file is the applicant's e-license, taken through the exchange instead of an upload.
    e_license_id = models.CharField(_("电子证照标识"), max_length=64, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申请材料文件")
        verbose_name_plural = _("申请材料文件")
        ordering = ["requirement_id", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.display_name
