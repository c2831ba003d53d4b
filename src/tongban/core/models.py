"""The working-day calendar: one row per day of every seeded year (see calendar.py)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DaySource(models.TextChoices):
    SEEDED = "seeded", _("自动导入")
    ADMIN = "admin", _("管理员修改")


class CalendarDay(models.Model):
    """Whether people work on a day in mainland China: weekdays minus statutory holidays plus adjusted
    working days (调休), from the State Council's yearly notice.

    Every day of a seeded year has a row, so a look-up never has to guess and an administrator corrects
    a day by editing its row; an edited row belongs to the administrator and re-seeding leaves it alone.
    """

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("工作日"))
    name = models.CharField(
        _("名称"), max_length=50, blank=True, help_text=_("节假日名称，或“调休上班”；普通日子留空")
    )
    source = models.CharField(_("来源"), max_length=16, choices=DaySource.choices, default=DaySource.SEEDED)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}".rstrip()


class AuditResult(models.TextChoices):
    OK = "ok", _("成功")
    DENIED = "denied", _("拒绝")
    FAIL = "fail", _("失败")


class AuditEvent(models.Model):
    """One security-relevant event (T-J2): who did what to which object, whose personal data it was,
    for which department, from where, in which request, and whether it was allowed. Written by
    ``core.audit.record`` only; never edited. ``at`` is stored in UTC.

    A link of one of a few SHA-256 hash chains (T-J1, ``core.hash_chain``): ``hash = SHA-256(prev_hash ‖
    canonical(row))`` with a gap-free ``seq`` within its ``chain``."""

    APPEND_ONLY = True  # the application's database role may only add and read (``restrict_db_role``)

    chain = models.PositiveSmallIntegerField(_("链"), default=1)
    seq = models.BigIntegerField(_("序号"), default=0)
    prev_hash = models.CharField(max_length=64, default="")
    hash = models.CharField(max_length=64, default="")
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor_id = models.PositiveBigIntegerField(_("操作人"), null=True, blank=True)
    department_id = models.PositiveBigIntegerField(_("部门"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    event = models.CharField(_("事件"), max_length=64)
    object_type = models.CharField(_("对象类型"), max_length=32)
    object_id = models.CharField(_("对象"), max_length=64)
    subject_id = models.PositiveBigIntegerField(_("个人信息主体"), null=True, blank=True, db_index=True)
    result = models.CharField(_("结果"), max_length=8, choices=AuditResult.choices, default=AuditResult.OK)
    reason = models.CharField(_("说明"), max_length=200, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-id"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_event_chain_seq")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.event} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """The head of one hash chain of the audit log (primary key = chain number): its last ``seq`` and
    ``hash``, and where it starts once expired rows were purged (``start_seq`` 0 = never purged: seq 1
    on the genesis hash). Appends lock a head (``core.hash_chain.lock_head``)."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    start_seq = models.BigIntegerField(default=0)
    start_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("审计日志链头")
        verbose_name_plural = _("审计日志链头")

    def __str__(self) -> str:
        return f"{self.pk}:#{self.seq} {self.hash[:12]}"


class BreakGlassWindow(models.Model):
    """A time-limited window in which a Django superuser may sign in and act in production (T-B6),
    opened with ``manage.py break_glass`` on the server, with a reason; audited and alerted."""

    user_id = models.PositiveBigIntegerField(_("超级用户"))
    reason = models.CharField(_("原因"), max_length=200)
    opened_by = models.CharField(_("开启人（服务器账户）"), max_length=64, blank=True)
    opened_at = models.DateTimeField(_("开启时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("结束时间"), db_index=True)

    class Meta:
        verbose_name = _("紧急授权窗口")
        verbose_name_plural = _("紧急授权窗口")

    def __str__(self) -> str:
        return f"{self.user_id} {self.opened_at:%Y-%m-%d %H:%M}–{self.expires_at:%H:%M}"
