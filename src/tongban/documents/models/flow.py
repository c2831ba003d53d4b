"""The 发文 process's own rows: the departments chosen on the 发文单 for 会签 (in parallel, each with
an opinion at its own step of the process)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tongban.documents.models.document import OfficialDocument


class CountersignDepartment(models.Model):
    """A department asked to countersign (会签) a document; the process opens one 会签 step for each,
    handled by its 部门负责人."""

    document = models.ForeignKey(OfficialDocument, on_delete=models.CASCADE, related_name="countersigners")
    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("会签部门"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("会签部门")
        verbose_name_plural = _("会签部门")
        ordering = ["document", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "department"], name="documents_countersign_once")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.department_id}"


class DocumentEvent(models.Model):
    """What the drafter did to the document outside the steps: 撤销 (a draft never sent on) and 催办 (an
    open step, at most once a step a day)."""

    class Kind(models.TextChoices):
        CANCELLED = "cancelled", _("撤销")
        NUDGED = "nudged", _("催办")

    document = models.ForeignKey(OfficialDocument, on_delete=models.CASCADE, related_name="events")
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
        verbose_name = _("发文操作")
        verbose_name_plural = _("发文操作")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "task_id", "day"],
                condition=Q(kind="nudged"),
                name="documents_one_outgoing_nudge_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.kind}"
