"""政务信息报送 (issue 16): units' 信息 with their versions and attachments, the 信息刊物 and its issues
(期) with ordered entries, 传阅 with read receipts, and 采用 records scored by editable levels."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Publication(models.Model):
    """A 信息刊物 such as 《云州政务信息》, compiled by the 信息编辑 of its department (编印单位)."""

    name = models.CharField(_("刊物名称"), max_length=50, unique=True)
    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("编印单位"), on_delete=models.PROTECT, related_name="+"
    )
    # 总第N期: the last number given over all years (read and bumped under select_for_update).
    total_issued = models.PositiveIntegerField(_("已编总期数"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("信息刊物")
        verbose_name_plural = _("信息刊物")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class IssueCounter(models.Model):
    """The last 期号 of a publication in a year; locked (with its publication) while an issue is numbered
    so numbers have no gaps and no duplicates."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="counters")
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用期号"), default=0)

    class Meta:
        verbose_name = _("期号计数")
        verbose_name_plural = _("期号计数")
        constraints = [
            models.UniqueConstraint(fields=["publication", "year"], name="briefings_one_counter_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} {self.year}: {self.last}"


class Kind(models.TextChoices):
    NEWS = "news", _("工作动态")
    PRACTICE = "practice", _("经验做法")
    PROBLEM = "problem", _("问题建议")
    SPECIAL = "special", _("专报")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("急")
    VERY_URGENT = "very_urgent", _("特急")


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("退修")
    ADOPTED = "adopted", _("已采用")
    REJECTED = "rejected", _("不采用")


class Submission(models.Model):
    """A 信息 a unit's 信息员 submitted to a publication. ``title`` and ``body`` are the current text (the
    editor's edit once edited); every text, the reporter's original included, is a ``SubmissionVersion``."""

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="submissions")
    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="+"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("信息员"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))
    kind = models.CharField(_("信息类型"), max_length=16, choices=Kind.choices)
    urgency = models.CharField(_("紧急程度"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(
        _("状态"), max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("报送时间"))
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_note = models.TextField(_("处理意见"), blank=True)
    idempotency_key = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("政务信息")
        verbose_name_plural = _("政务信息")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "idempotency_key"], name="briefings_one_submission_per_key"
            )
        ]
        indexes = [models.Index(fields=["publication", "status"]), models.Index(fields=["department"])]

    def __str__(self) -> str:
        return self.title


class VersionAuthor(models.TextChoices):
    REPORTER = "reporter", _("信息员报送")
    EDITOR = "editor", _("编辑修改")


class SubmissionVersion(models.Model):
    """One text of a 信息: what the reporter submitted (and resubmitted after 退修), or an editor's edit."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本"))
    author_kind = models.CharField(_("来源"), max_length=16, choices=VersionAuthor.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("修改人"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))
    saved_at = models.DateTimeField(_("保存时间"))

    class Meta:
        verbose_name = _("信息版本")
        verbose_name_plural = _("信息版本")
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="briefings_one_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} v{self.number}"


class SubmissionAttachment(models.Model):
    """A file sent with a 信息 (checked and virus-scanned on upload; served as an attachment)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("文件名"), max_length=200)
    mime_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField(editable=False)
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("信息附件")
        verbose_name_plural = _("信息附件")
        ordering = ["submission", "id"]

    def __str__(self) -> str:
        return self.name


class IssueStatus(models.TextChoices):
    DRAFT = "draft", _("编辑中")
    PUBLISHED = "published", _("已印发")


class Issue(models.Model):
    """An issue (期) of a publication: compiled while 编辑中, numbered (2026年第12期 总第N期) and its PDF
    made when 印发; then it is circulated."""

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="issues")
    status = models.CharField(
        _("状态"), max_length=16, choices=IssueStatus.choices, default=IssueStatus.DRAFT
    )
    editor_note = models.TextField(_("编者按"), blank=True)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    number = models.PositiveIntegerField(_("期号"), null=True, blank=True)
    total_number = models.PositiveIntegerField(_("总期号"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("印发人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("刊物期次")
        verbose_name_plural = _("刊物期次")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "year", "number"],
                condition=Q(number__isnull=False),
                name="briefings_one_issue_per_number",
            ),
            models.UniqueConstraint(
                fields=["publication", "total_number"],
                condition=Q(total_number__isnull=False),
                name="briefings_one_issue_per_total_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} {self.issue_label}"

    @property
    def issue_label(self) -> str:
        """刊号 as printed: 2026年第12期（总第57期）, or 编辑中 before 印发."""
        if self.number is None:
            return str(_("（未编号）"))
        return str(_("%(year)s年第%(number)s期（总第%(total)s期）")) % {
            "year": self.year,
            "number": self.number,
            "total": self.total_number,
        }


class IssueEntry(models.Model):
    """A 信息 adopted into an issue, at a position. A 信息 is in at most one issue."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="entries")
    submission = models.OneToOneField(Submission, on_delete=models.PROTECT, related_name="entry")
    position = models.PositiveSmallIntegerField(_("顺序"))

    class Meta:
        verbose_name = _("刊物条目")
        verbose_name_plural = _("刊物条目")
        ordering = ["issue", "position"]

    def __str__(self) -> str:
        return f"{self.issue_id} #{self.position}"


class IssueCirculation(models.Model):
    """传阅: an issue sent to a reader; ``read_at`` is the read receipt (the first opening)."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="circulations")
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("阅读人"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("送阅人"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("送阅时间"))
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("刊物传阅")
        verbose_name_plural = _("刊物传阅")
        ordering = ["issue", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "reader"], name="briefings_one_circulation_per_reader")
        ]
        indexes = [models.Index(fields=["reader", "read_at"])]

    def __str__(self) -> str:
        return f"{self.issue_id} → {self.reader_id}"


class ScoringLevel(models.Model):
    """A 采用 level and its points (信息报送考核): 被市采用, 被省采用, 领导批示 … Editors change the points;
    an adoption keeps the points in force when it was recorded, so a change never rewrites past scores."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("采用级别"), max_length=30, unique=True)
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=1)
    # The level recorded when an editor adopts a 信息 into an issue of the platform's own publication.
    is_issue_level = models.BooleanField(_("本刊采用"), default=False)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("修改时间"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("计分级别")
        verbose_name_plural = _("计分级别")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_issue_level"], condition=Q(is_issue_level=True), name="briefings_one_issue_level"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Adoption(models.Model):
    """A 采用 of a 信息 at a level, with the points snapshot taken when it was recorded. The issue level is
    recorded by 采用 itself; higher ones (被省采用, 领导批示) by an editor, with the evidence."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="adoptions")
    level = models.ForeignKey(ScoringLevel, verbose_name=_("采用级别"), on_delete=models.PROTECT)
    points = models.DecimalField(_("得分"), max_digits=6, decimal_places=1)
    # The unit credited (the 信息's unit, copied so the ranking is one GROUP BY).
    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="+"
    )
    evidence = models.CharField(_("依据"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("采用记录")
        verbose_name_plural = _("采用记录")
        ordering = ["submission", "recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "level"], name="briefings_one_adoption_per_level")
        ]
        indexes = [models.Index(fields=["recorded_at"])]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.level_id}"
