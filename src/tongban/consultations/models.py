"""意见征集 (a department's consultation on a draft text, section by section) and 在线访谈 (an interview
with questions sent in advance). Both collect text from the public in one table, ``Comment``, which the
one moderation service (services/comments.py) screens, holds, publishes and answers."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")  # open or closed by the clock (``phase``)
    RESULT_PUBLISHED = "result_published", _("已公布采纳情况")


class Phase(models.TextChoices):
    """What the public sees: the status with the clock applied."""

    DRAFT = "draft", _("草稿")
    UPCOMING = "upcoming", _("未开始")
    OPEN = "open", _("征集中")
    CLOSED = "closed", _("已结束")
    RESULT = "result", _("已公布结果")


class Consultation(models.Model):
    department = models.ForeignKey("organizations.Department", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("标题"), max_length=120)
    summary = models.TextField(_("说明"), max_length=2000)
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    status = models.CharField(
        _("状态"), max_length=20, choices=ConsultationStatus.choices, default=ConsultationStatus.DRAFT
    )
    requires_premoderation = models.BooleanField(_("所有留言先审后发"), default=False)
    result_summary = models.TextField(_("采纳情况说明"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    result_published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "-pk"]
        verbose_name = _("意见征集")
        verbose_name_plural = _("意见征集")
        constraints = [
            models.UniqueConstraint(fields=["created_by", "idempotency_key"], name="consultation_once"),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="consultation_period"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def phase_at(self, now: object) -> str:
        if self.status == ConsultationStatus.DRAFT:
            return Phase.DRAFT
        if self.status == ConsultationStatus.RESULT_PUBLISHED:
            return Phase.RESULT
        if now < self.opens_at:  # type: ignore[operator]
            return Phase.UPCOMING
        if now < self.closes_at:  # type: ignore[operator]
            return Phase.OPEN
        return Phase.CLOSED

    @property
    def phase(self) -> str:
        return self.phase_at(timezone.now())

    @property
    def phase_label(self) -> str:
        return str(Phase(self.phase).label)


class Section(models.Model):
    """One part of the draft text (第一章 总则 …), commented on by itself."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField()
    heading = models.CharField(_("标题"), max_length=120)
    text = models.TextField(_("条文"), max_length=20000)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("章节")
        verbose_name_plural = _("章节")

    def __str__(self) -> str:
        return self.heading


def attachments_storage() -> Storage:
    """The private "materials" storage: files go out through a view that checks the consultation."""
    return storages["materials"]


def _attachment_key(instance: ConsultationAttachment, filename: str) -> str:
    return f"consultations/{instance.consultation_id}/{instance.key.hex}"  # never the uploader's name


class ConsultationAttachment(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="attachments")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    original_name = models.CharField(_("文件名"), max_length=120)
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    file = models.FileField(storage=attachments_storage, upload_to=_attachment_key, max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.original_name


class InterviewStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class Interview(models.Model):
    """在线访谈: a scheduled talk with guests; the public sends questions until it starts."""

    department = models.ForeignKey("organizations.Department", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("访谈主题"), max_length=120)
    guests = models.CharField(_("访谈嘉宾"), max_length=300)
    description = models.TextField(_("访谈简介"), max_length=4000)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    status = models.CharField(
        _("状态"), max_length=20, choices=InterviewStatus.choices, default=InterviewStatus.DRAFT
    )
    transcript = models.TextField(_("访谈实录"), blank=True)
    requires_premoderation = models.BooleanField(_("所有提问先审后发"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("在线访谈")
        verbose_name_plural = _("在线访谈")
        constraints = [
            models.UniqueConstraint(fields=["created_by", "idempotency_key"], name="interview_once"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="interview_period"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_upcoming(self) -> bool:
        return timezone.now() < self.starts_at

    @property
    def accepts_questions(self) -> bool:
        return self.status == InterviewStatus.PUBLISHED and timezone.now() < self.starts_at


class CommentStatus(models.TextChoices):
    HELD = "held", _("待审核")
    PUBLISHED = "published", _("已公开")
    REJECTED = "rejected", _("未通过审核")


class Adoption(models.TextChoices):
    ADOPTED = "adopted", _("采纳")
    PARTLY = "partly", _("部分采纳")
    NOT_ADOPTED = "not_adopted", _("未采纳")


class Comment(models.Model):
    """A comment on a consultation (on a section, or on the whole draft) or a question to an interview."""

    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    interview = models.ForeignKey(
        Interview, null=True, blank=True, on_delete=models.CASCADE, related_name="questions"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("留言内容"), max_length=2000)
    public_body = models.TextField(blank=True)  # the body with personal data masked (core.pii)
    status = models.CharField(_("状态"), max_length=20, choices=CommentStatus.choices)
    held_reason = models.CharField(_("待审原因"), max_length=300, blank=True)
    rejection_reason = models.CharField(_("不予公开的原因"), max_length=300, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    adoption = models.CharField(_("采纳情况"), max_length=20, choices=Adoption.choices, blank=True)
    adoption_reason = models.CharField(_("理由"), max_length=500, blank=True)
    idempotency_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("留言")
        verbose_name_plural = _("留言")
        constraints = [
            models.UniqueConstraint(fields=["author", "idempotency_key"], name="comment_once"),
            models.CheckConstraint(
                condition=(models.Q(consultation__isnull=False, interview__isnull=True))
                | (models.Q(consultation__isnull=True, interview__isnull=False, section__isnull=True)),
                name="comment_on_one_thing",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "consultation"]),
            models.Index(fields=["status", "interview"]),
        ]

    def __str__(self) -> str:
        return self.body[:30]

    @property
    def department_id(self) -> int:
        owner = self.consultation if self.consultation_id else self.interview
        return owner.department_id  # type: ignore[union-attr]
