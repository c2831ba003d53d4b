"""文号 numbering: one counter per issuing body and year (locked while a number is taken, so numbers have
no gaps and no duplicates), and a register of every number taken off it with what became of it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tongban.documents.models.document import IssuingBody, OfficialDocument


class NumberCounter(models.Model):
    """The last sequence number taken for a body's year. Every number comes off it under
    ``select_for_update``: 编号 and 预留 never hand out one number twice, nor skip one."""

    issuing_body = models.ForeignKey(IssuingBody, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年份"))
    last_sequence = models.PositiveIntegerField(_("已用到的序号"), default=0)

    class Meta:
        verbose_name = _("文号计数器")
        verbose_name_plural = _("文号计数器")
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_body", "year"], name="documents_one_number_counter_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.issuing_body_id}/{self.year}: {self.last_sequence}"


class NumberState(models.TextChoices):
    USED = "used", _("已使用")
    ABANDONED = "abandoned", _("已作废")
    RESERVED = "reserved", _("预留")
    BACKFILLED = "backfilled", _("补号")


class DocumentNumber(models.Model):
    """One 文号 taken off a counter, never deleted: used by a document (编号, or 补号 from the pool),
    abandoned (作废: the document gave it up, with reason and who; reusable by 补号) or reserved
    (预留 by an administrator, with reason)."""

    issuing_body = models.ForeignKey(
        IssuingBody, verbose_name=_("发文机关"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    sequence = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("文号"), max_length=40, unique=True)
    state = models.CharField(_("状态"), max_length=16, choices=NumberState.choices)
    document = models.OneToOneField(
        OfficialDocument,
        verbose_name=_("使用公文"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="number_record",
    )
    # The document that gave the number up (作废), kept for the register.
    previous_document = models.ForeignKey(
        OfficialDocument,
        verbose_name=_("原使用公文"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("理由"), max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("文号登记")
        verbose_name_plural = _("文号登记")
        ordering = ["issuing_body", "year", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_body", "year", "sequence"], name="documents_number_taken_once"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["used", "backfilled"], document__isnull=False)
                | Q(state__in=["abandoned", "reserved"], document__isnull=True),
                name="documents_number_used_iff_document",
            ),
        ]

    def __str__(self) -> str:
        return self.number
