"""The meetings forms: they parse; the rules (capacity, overlap, who may reply what) are the services'."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongban.appointments.forms import DatePartsField, ErrorLinksMixin
from tongban.meetings.models import Equipment, Reply
from tongban.meetings.services.booking import MeetingPlan
from tongban.meetings.services.rooms import RoomFields

TIME_FORMAT = re.compile(r"^\s*(\d{1,2})\s*[:：]\s*(\d{2})\s*$")


def parse_time(value: str) -> dt.time | None:
    match = TIME_FORMAT.match(value or "")
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2])
    return dt.time(hour, minute) if hour < 24 and minute < 60 else None


def _anchor(field: forms.BoundField) -> str:
    grouped = isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
    return f"{field.auto_id}_0" if grouped else field.auto_id


class MeetingsForm(ErrorLinksMixin, forms.Form):
    use_required_attribute = False

    def error_links(self) -> list[tuple[str, str]]:
        """Each error links to its control: a group's first box or radio."""
        visible = self.visible_fields()
        links = [(_anchor(visible[0]) if visible else "main", error) for error in self.non_field_errors()]
        for field in self:
            links += [(_anchor(field), error) for error in field.errors]
        return links

    def add_service_error(self, field: str, message: str) -> None:
        """A refusal from the services next to the field it names (the first field otherwise)."""
        field = {"start": "start", "end": "end"}.get(field, field)
        self.add_error(field if field in self.fields else None, message)


class MeetingForm(MeetingsForm):
    """预订会议室 / 新建会议."""

    title = forms.CharField(
        label=_("会议名称"), max_length=200, error_messages={"required": _("请输入会议名称")}
    )
    department = forms.TypedChoiceField(
        label=_("主办部门"),
        coerce=int,
        error_messages={"required": _("请选择主办部门"), "invalid_choice": _("请选择主办部门")},
    )
    host = forms.CharField(label=_("主持人"), max_length=100, error_messages={"required": _("请输入主持人")})
    day = DatePartsField(
        label=_("会议日期"),
        required_message=_("请填写会议日期"),
        invalid_message=_("会议日期须为真实的日期，如 2026年12月8日"),
    )
    start = forms.CharField(
        label=_("开始时间"),
        max_length=5,
        help_text=_("24小时制，如 09:00"),
        error_messages={"required": _("请填写开始时间")},
    )
    end = forms.CharField(
        label=_("结束时间"),
        max_length=5,
        help_text=_("24小时制，如 10:30"),
        error_messages={"required": _("请填写结束时间")},
    )
    room = forms.ChoiceField(label=_("会议室"), required=False)
    place = forms.CharField(
        label=_("其他会议地点（选填）"),
        max_length=200,
        required=False,
        help_text=_("不使用会议室时填写，如：视频会议、市民中心3楼报告厅。"),
    )
    expected_attendees = forms.IntegerField(
        label=_("参会人数"),
        min_value=1,
        max_value=2000,
        error_messages={
            "required": _("请填写参会人数"),
            "invalid": _("参会人数须为整数，如 12"),
            "min_value": _("参会人数须为大于0的整数"),
            "max_value": _("参会人数须不超过2000"),
        },
    )
    agenda = forms.CharField(
        label=_("议程（选填）"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, departments: list[tuple[int, str]], rooms: list[tuple[int, str]], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = departments
        self.fields["room"].choices = [("", _("不使用会议室")), *rooms]
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
            if len(departments) == 1:
                self.initial.setdefault("department", departments[0][0])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name in ("start", "end"):
            text = cleaned.get(name)
            if text and parse_time(text) is None:
                what = _("开始时间") if name == "start" else _("结束时间")
                self.add_error(name, _("%(what)s须为24小时制时间，如 09:00") % {"what": what})
        return cleaned

    def plan(self) -> MeetingPlan:
        data = self.cleaned_data
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(data["day"], parse_time(data["start"]) or dt.time(), tzinfo=tz)
        end = dt.datetime.combine(data["day"], parse_time(data["end"]) or dt.time(), tzinfo=tz)
        return MeetingPlan(
            title=data["title"],
            department_id=data["department"],
            host=data["host"],
            starts_at=start,
            ends_at=end,
            room_id=int(data["room"]) if data["room"] else None,
            place=data["place"],
            expected_attendees=data["expected_attendees"],
            agenda=data["agenda"],
        )


class InviteForm(MeetingsForm):
    people = forms.TypedMultipleChoiceField(
        label=_("本部门参会人员"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    departments = forms.TypedMultipleChoiceField(
        label=_("参会部门"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("部门收到通知后，由其文书人员或部门负责人确定参会人员。"),
    )

    def __init__(
        self, *args: Any, people: list[tuple[int, str]], departments: list[tuple[int, str]], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = people
        self.fields["departments"].choices = departments
        self.fields["people"].error_messages["invalid_choice"] = _("请从列表中选择参会人员")
        self.fields["departments"].error_messages["invalid_choice"] = _("请从列表中选择参会部门")


class ReplyForm(MeetingsForm):
    answer = forms.ChoiceField(
        label=_("是否参加"),
        choices=[(Reply.ATTEND, _("参加")), (Reply.LEAVE, _("请假")), (Reply.DELEGATED, _("指派他人参加"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择是否参加"), "invalid_choice": _("请选择是否参加")},
    )
    reason = forms.CharField(
        label=_("请假事由"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    delegate = forms.TypedChoiceField(label=_("指派参会的同事"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, colleagues: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].choices = [("", _("请选择")), *colleagues]
        self.fields["delegate"].error_messages["invalid_choice"] = _("请选择本部门的其他同事")


class NameAttendeesForm(MeetingsForm):
    people = forms.TypedMultipleChoiceField(
        label=_("参会人员"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请选择参会人员"), "invalid_choice": _("请选择本部门的工作人员")},
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = people


class DecisionForm(MeetingsForm):
    text = forms.CharField(
        label=_("决定事项"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请输入决定事项")},
    )
    lead_department = forms.TypedChoiceField(
        label=_("牵头部门"),
        coerce=int,
        error_messages={"required": _("请选择牵头部门"), "invalid_choice": _("请选择牵头部门")},
    )
    working_days = forms.IntegerField(
        label=_("办理时限（工作日）"),
        min_value=1,
        max_value=250,
        error_messages={
            "required": _("请填写办理时限"),
            "invalid": _("办理时限须为整数，如 10"),
            "min_value": _("办理时限须为1至250个工作日"),
            "max_value": _("办理时限须为1至250个工作日"),
        },
    )

    def __init__(self, *args: Any, departments: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["lead_department"].choices = [("", _("请选择")), *departments]


class CancelForm(MeetingsForm):
    reason = forms.CharField(
        label=_("取消原因"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写取消原因")},
    )


class RoomForm(MeetingsForm):
    name = forms.CharField(
        label=_("会议室名称"), max_length=100, error_messages={"required": _("请输入会议室名称")}
    )
    location = forms.CharField(
        label=_("位置"),
        max_length=200,
        help_text=_("楼宇和楼层，如 市政府1号楼3楼"),
        error_messages={"required": _("请输入会议室位置")},
    )
    capacity = forms.IntegerField(
        label=_("容纳人数"),
        min_value=1,
        max_value=2000,
        error_messages={
            "required": _("请填写容纳人数"),
            "invalid": _("容纳人数须为整数，如 20"),
            "min_value": _("容纳人数须为1至2000的整数"),
            "max_value": _("容纳人数须为1至2000的整数"),
        },
    )
    equipment = forms.MultipleChoiceField(
        label=_("设备（选填）"),
        choices=Equipment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    department = forms.TypedChoiceField(
        label=_("管理部门"),
        coerce=int,
        error_messages={"required": _("请选择管理部门"), "invalid_choice": _("请选择管理部门")},
    )
    is_active = forms.BooleanField(label=_("启用（可以预订）"), required=False, initial=True)

    def __init__(self, *args: Any, departments: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = departments
        self.fields["equipment"].error_messages["invalid_choice"] = _("请从列表中选择设备")

    def room_fields(self) -> RoomFields:
        data = self.cleaned_data
        return RoomFields(
            name=data["name"],
            location=data["location"],
            capacity=data["capacity"],
            equipment=tuple(data["equipment"]),
            department_id=data["department"],
            is_active=data["is_active"],
        )
