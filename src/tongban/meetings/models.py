"""会议: rooms (会议室) and their bookings, meetings with their notice (会议通知), invitations and replies
(参加 / 请假 / 指派他人), sign-in (签到), decisions (决定事项) and the per-person calendar feed (日程)."""

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.db import models
from django.db.models import Func, Q
from django.utils.translation import gettext_lazy as _


class Equipment(models.TextChoices):
    PROJECTOR = "projector", _("投影")
    VIDEO = "video", _("视频会议")
    MICROPHONE = "microphone", _("话筒")
    SCREEN = "screen", _("电子屏")
    WHITEBOARD = "whiteboard", _("白板")


class MeetingRoom(models.Model):
    """A room (会议室) the 会议室管理员 of its department manages; any staff member may book it."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    location = models.CharField(_("位置"), max_length=200)
    capacity = models.PositiveIntegerField(_("容纳人数"))
    equipment = models.JSONField(_("设备"), default=list, blank=True)
    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("管理部门"), on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("会议室")
        verbose_name_plural = _("会议室")
        ordering = ["name", "id"]
        constraints = [models.CheckConstraint(condition=Q(capacity__gte=1), name="room_holds_someone")]

    def __str__(self) -> str:
        return self.name

    @property
    def equipment_labels(self) -> list[str]:
        labels = dict(Equipment.choices)
        return [str(labels[code]) for code in self.equipment if code in labels]


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class PostgresOnlyExclusionConstraint(ExclusionConstraint):
    """An exclusion constraint on PostgreSQL; nothing on another database, where the booking service's
    room lock and overlap check are the whole rule (SQLite runs one writer at a time anyway)."""

    @staticmethod
    def _on_postgres(schema_editor) -> bool:  # type: ignore[no-untyped-def]
        return schema_editor.connection.vendor == "postgresql"

    def constraint_sql(self, model, schema_editor):  # type: ignore[no-untyped-def]
        return super().constraint_sql(model, schema_editor) if self._on_postgres(schema_editor) else None

    def create_sql(self, model, schema_editor):  # type: ignore[no-untyped-def]
        return super().create_sql(model, schema_editor) if self._on_postgres(schema_editor) else None

    def remove_sql(self, model, schema_editor):  # type: ignore[no-untyped-def]
        return super().remove_sql(model, schema_editor) if self._on_postgres(schema_editor) else None

    def validate(self, model, instance, exclude=None, using="default"):  # type: ignore[no-untyped-def]
        return None  # the booking service checks overlaps on every database


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("已预订")  # created, the room booked; the notice not yet sent
    NOTIFIED = "notified", _("已通知")
    CANCELLED = "cancelled", _("已取消")


class Meeting(models.Model):
    """One meeting: its time, room (a booking while not cancelled) or other place, agenda and people."""

    title = models.CharField(_("会议名称"), max_length=200)
    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("主办部门"), on_delete=models.PROTECT, related_name="+"
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("组织人"), on_delete=models.PROTECT, related_name="+"
    )
    host = models.CharField(_("主持人"), max_length=100)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    room = models.ForeignKey(
        MeetingRoom,
        verbose_name=_("会议室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    place = models.CharField(_("其他地点"), max_length=200, blank=True)  # 视频会议, 外单位 …
    agenda = models.TextField(_("议程"), blank=True)
    expected_attendees = models.PositiveIntegerField(_("参会人数"))
    status = models.CharField(
        _("状态"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    notice_sent_at = models.DateTimeField(_("通知时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    minutes_document = models.ForeignKey(
        "documents.OfficialDocument",
        verbose_name=_("会议纪要"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # The booking page's one-time key: a retried 预订 (double click, reload) finds this meeting.
    idempotency_key = models.CharField(_("提交标识"), max_length=64)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["room", "starts_at"], name="meeting_room_time")]
        constraints = [
            models.UniqueConstraint(
                fields=["organiser", "idempotency_key"], name="one_meeting_per_submission"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(room__isnull=False) | ~Q(place=""), name="meeting_has_room_or_place"
            ),
            PostgresOnlyExclusionConstraint(
                name="room_booked_once",
                expressions=[
                    (TsTzRange("starts_at", "ends_at", RangeBoundary()), RangeOperators.OVERLAPS),
                    ("room", RangeOperators.EQUAL),
                ],
                condition=~Q(status="cancelled"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def where(self) -> str:
        if self.room_id is None:
            return self.place
        room = self.room
        return f"{room.name}（{room.location}）" if room else self.place


class Reply(models.TextChoices):
    PENDING = "pending", _("未回复")
    ATTEND = "attend", _("参加")
    LEAVE = "leave", _("请假")
    DELEGATED = "delegated", _("指派他人")


class SignInMethod(models.TextChoices):
    QR = "qr", _("扫码签到")
    STAFF = "staff", _("代为签到")


class Invitation(models.Model):
    """Who is asked to come: a person (attending for ``department``), or a whole department whose
    文书人员 or 部门负责人 names the people (``is_department``). ``via`` is the department invitation
    that named the person, or the invitation whose holder delegated (指派) it to them."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("参会人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+"
    )
    is_department = models.BooleanField(_("部门邀请"), default=False)
    via = models.ForeignKey(
        "self", verbose_name=_("来自"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reply = models.CharField(_("回复"), max_length=16, choices=Reply.choices, default=Reply.PENDING)
    reason = models.TextField(_("请假事由"), blank=True)
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("指派给"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    named_at = models.DateTimeField(_("确定参会人员时间"), null=True, blank=True)
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)
    reminded_on = models.DateField(_("催报日期"), null=True, blank=True)
    signed_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    signed_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签到操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sign_in_method = models.CharField(_("签到方式"), max_length=8, choices=SignInMethod.choices, blank=True)
    created_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("参会邀请")
        verbose_name_plural = _("参会邀请")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"], condition=Q(user__isnull=False), name="invited_once"
            ),
            models.UniqueConstraint(
                fields=["meeting", "department"],
                condition=Q(is_department=True),
                name="department_invited_once",
            ),
            models.CheckConstraint(
                condition=Q(is_department=True, user__isnull=True)
                | Q(is_department=False, user__isnull=False),
                name="invitation_person_or_department",
            ),
            models.CheckConstraint(condition=~Q(reply="leave") | ~Q(reason=""), name="leave_has_reason"),
            models.CheckConstraint(
                condition=~Q(reply="delegated") | Q(delegate__isnull=False), name="delegated_has_delegate"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.user_id or self.department_id}"


class Decision(models.Model):
    """A decision (决定事项) of a meeting: what, which department leads it, and by when (working days
    from the meeting). The 督办 (tracking) app turns it into a 督办事项 by its id."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    position = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("决定事项"))
    lead_department = models.ForeignKey(
        "organizations.Department", verbose_name=_("牵头部门"), on_delete=models.PROTECT, related_name="+"
    )
    working_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"))
    due_on = models.DateField(_("完成期限"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("决定事项")
        verbose_name_plural = _("决定事项")
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="decision_position_unique"),
            models.CheckConstraint(condition=Q(working_days__gte=1), name="decision_has_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} {self.position}"


class CalendarFeed(models.Model):
    """A person's private iCalendar subscription (日程订阅): whoever holds the token reads their
    meetings, so the person can renew (a new token) or stop it at any time."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("工作人员")
    )
    token = models.CharField(_("订阅令牌"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("日程订阅")
        verbose_name_plural = _("日程订阅")

    def __str__(self) -> str:
        return f"{self.user_id}"
