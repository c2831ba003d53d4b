"""Archived records (归档文件, DA/T 22-2015): one 件 with its 档号, 保管期限 and a fixed snapshot — copies of
its files with their SHA-256 and a manifest hash over metadata and file hashes, fixed at archiving."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongban.archives.rules import ORGANISATION_CODE_PATTERN


class Retention(models.TextChoices):
    """保管期限 and its code in the 档号 (DA/T 22 §6.1.3)."""

    PERMANENT = "Y", _("永久")
    THIRTY_YEARS = "D30", _("定期30年")
    TEN_YEARS = "D10", _("定期10年")


class RecordSource(models.TextChoices):
    OUTGOING = "outgoing", _("发文")
    INCOMING = "incoming", _("收文")


class RetentionRule(models.Model):
    """A row of the 归档范围与文书档案保管期限表: records of this 文种 (and this source, with this word in
    the title) are kept this long. The first matching row in ``position`` order decides."""

    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    kind = models.CharField(_("文种"), max_length=16, blank=True, help_text=_("留空表示任何文种"))
    source = models.CharField(
        _("适用于"),
        max_length=16,
        choices=RecordSource.choices,
        blank=True,
        help_text=_("留空表示发文和收文"),
    )
    title_contains = models.CharField(
        _("标题含有"), max_length=50, blank=True, help_text=_("留空表示任何标题")
    )
    retention = models.CharField(_("保管期限"), max_length=4, choices=Retention.choices)
    note = models.CharField(_("依据或说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("保管期限规则")
        verbose_name_plural = _("归档范围与保管期限表")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.kind or '*'} {self.title_contains} → {self.retention}"


class OrganisationCode(models.Model):
    """机构（问题）代码 of a department's records in the 档号 (e.g. BGS for 办公室)."""

    department = models.OneToOneField(
        "organizations.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(
        _("机构代码"),
        max_length=8,
        validators=[RegexValidator(ORGANISATION_CODE_PATTERN, _("机构代码应为1到8位大写字母或数字"))],
    )

    class Meta:
        verbose_name = _("机构（问题）代码")
        verbose_name_plural = _("机构（问题）代码")

    def __str__(self) -> str:
        return self.code


class ArchiveCounter(models.Model):
    """The last 件号 given in one 档号 group (全宗, 门类, 年度, 保管期限, 机构); locked while a 件 takes the
    next, so 件号 have no gaps and no duplicates."""

    fonds_code = models.CharField(max_length=8)
    category = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField()
    retention = models.CharField(max_length=4, choices=Retention.choices)
    organisation_code = models.CharField(max_length=8)
    last_item_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("件号计数器")
        verbose_name_plural = _("件号计数器")
        constraints = [
            models.UniqueConstraint(
                fields=["fonds_code", "category", "year", "retention", "organisation_code"],
                name="archives_one_counter_per_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.fonds_code}-{self.category}·{self.year}-{self.retention}-{self.organisation_code}"


class ArchiveRecord(models.Model):
    """One 件 (DA/T 22): a finished 发文 or 收文 with its 办理单, metadata and files, under its 档号. Nothing
    here changes after archiving; ``manifest_sha256`` covers the metadata and every file's hash."""

    archival_code = models.CharField(_("档号"), max_length=60, unique=True)
    fonds_code = models.CharField(_("全宗号"), max_length=8)
    category = models.CharField(_("门类"), max_length=4)
    year = models.PositiveSmallIntegerField(_("年度"))
    retention = models.CharField(_("保管期限"), max_length=4, choices=Retention.choices)
    organisation_code = models.CharField(_("机构（问题）代码"), max_length=8)
    item_number = models.PositiveIntegerField(_("件号"))
    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("立档部门"), on_delete=models.PROTECT, related_name="+"
    )
    # What was archived, e.g. document:12 or received:7: one 件 per source.
    source = models.CharField(_("来源"), max_length=40, unique=True)
    source_kind = models.CharField(_("类别"), max_length=16, choices=RecordSource.choices)
    kind = models.CharField(_("文种"), max_length=16, blank=True)
    title = models.CharField(_("题名"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=40, blank=True)
    responsible = models.CharField(_("责任者"), max_length=100)
    date = models.DateField(_("日期"))
    secrecy = models.CharField(_("密级"), max_length=16, blank=True)
    page_count = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    metadata = models.JSONField(_("元数据"), default=dict)
    manifest_sha256 = models.CharField(_("清单摘要"), max_length=64)
    archived_at = models.DateTimeField(_("归档时间"))
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("归档人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("档案")
        verbose_name_plural = _("档案")
        ordering = ["-year", "fonds_code", "retention", "organisation_code", "-item_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["fonds_code", "category", "year", "retention", "organisation_code", "item_number"],
                name="archives_item_number_once",
            )
        ]
        indexes = [models.Index(fields=["department", "-archived_at"], name="archive_department_idx")]

    def __str__(self) -> str:
        return self.archival_code


class ArchiveFile(models.Model):
    """A copy of one file of the 件, kept in the ``archives`` storage (never a reference to a live
    file) with the SHA-256 it had when archived."""

    record = models.ForeignKey(ArchiveRecord, on_delete=models.PROTECT, related_name="files")
    position = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("文件名"), max_length=100)
    label = models.CharField(_("说明"), max_length=100)
    path = models.CharField(_("存储位置"), max_length=255, unique=True)
    media_type = models.CharField(_("格式"), max_length=40)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("档案文件")
        verbose_name_plural = _("档案文件")
        ordering = ["record", "position"]
        constraints = [models.UniqueConstraint(fields=["record", "name"], name="archives_file_name_once")]

    def __str__(self) -> str:
        return self.name
