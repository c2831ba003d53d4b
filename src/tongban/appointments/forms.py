"""Forms of the appointment pages. They only parse; every rule lives in the services."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.appointments.rules import SLOT_MINUTES, Schedule
from tongban.appointments.types import AppointableItem
from tongban.organizations.types import HallRef, WindowRef


class SlotForm(forms.Form):
    """选择预约时段: one radio per slot on offer; a slot no longer offered reads as taken."""

    use_required_attribute = False  # server-side validation only (UX.md)

    slot = forms.TypedChoiceField(
        label=_("预约时段"),
        coerce=int,
        error_messages={
            "required": _("请选择预约时段"),
            "invalid_choice": _("该时段已约满，请选择其他时段"),
        },
    )

    def __init__(self, *args, slot_ids: Iterable[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [(slot_id, slot_id) for slot_id in slot_ids]


class QueueForm(forms.Form):
    """Which hall and day the staff queue shows: GET parameters from the day links and the hall select."""

    use_required_attribute = False

    hall = forms.TypedChoiceField(label=_("大厅"), coerce=int)
    date = forms.DateField(label=_("日期"), input_formats=["%Y-%m-%d"])

    def __init__(self, *args, halls: list[HallRef], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hall"].choices = [(hall.id, hall.name) for hall in halls]


WEEKDAY_CHOICES = [
    ("1", _("周一")),
    ("2", _("周二")),
    ("3", _("周三")),
    ("4", _("周四")),
    ("5", _("周五")),
    ("6", _("周六")),
    ("7", _("周日")),
]
TIME_ROWS = 3  # opening time ranges a rule can have (上午, 下午, 晚间)
TIME_FORMAT = re.compile(r"^\s*(\d{1,2})\s*[:：]\s*(\d{2})\s*$")


class DatePartsWidget(forms.MultiWidget):
    """A date as three text fields 年 / 月 / 日 (UX.md); the year field carries the field's id, so the
    error summary can link to it."""

    template_name = "appointments/widgets/date_parts.html"

    def __init__(self) -> None:
        super().__init__(
            [
                forms.TextInput(attrs={"inputmode": "numeric", "size": 4}),
                forms.TextInput(attrs={"inputmode": "numeric", "size": 2}),
                forms.TextInput(attrs={"inputmode": "numeric", "size": 2}),
            ]
        )

    def decompress(self, value: dt.date | None) -> list[int | None]:
        return [value.year, value.month, value.day] if value else [None, None, None]

    def get_context(self, name: str, value, attrs) -> dict:
        context = super().get_context(name, value, attrs)
        subwidgets = context["widget"]["subwidgets"]
        for subwidget, (suffix, label) in zip(
            subwidgets, [("", _("年")), ("_month", _("月")), ("_day", _("日"))], strict=True
        ):
            if attrs and attrs.get("id"):
                subwidget["attrs"]["id"] = f"{attrs['id']}{suffix}"
            subwidget["label"] = label
        return context


class DatePartsField(forms.MultiValueField):
    widget = DatePartsWidget

    def __init__(self, *, required_message: str, invalid_message: str, **kwargs) -> None:
        super().__init__(
            fields=(forms.CharField(), forms.CharField(), forms.CharField()),
            require_all_fields=False,
            error_messages={"required": required_message, "invalid": invalid_message},
            **kwargs,
        )
        for field in self.fields:
            field.required = False

    def compress(self, data_list: list[str]) -> dt.date | None:
        if not data_list or not any(data_list):
            return None
        try:
            return dt.date(*(int(part) for part in data_list))
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


def _parse_time(value: str) -> dt.time | None:
    match = TIME_FORMAT.match(value)
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2])
    return dt.time(hour, minute) if hour < 24 and minute < 60 else None


class ErrorLinksMixin:
    """The error summary's links: each error to the control to fix (a checkbox group's first box)."""

    def error_links(self) -> list[tuple[str, str]]:
        links = [(self.visible_fields()[0].auto_id, error) for error in self.non_field_errors()]
        for field in self:
            anchor = (
                f"{field.auto_id}_0"
                if isinstance(field.field.widget, forms.CheckboxSelectMultiple)
                else field.auto_id
            )
            links += [(anchor, error) for error in field.errors]
        return links


class ScheduleForm(ErrorLinksMixin, forms.Form):
    """The days, times, slot length and dates of an opening rule. It only parses; the rules of a
    schedule (some day, ranges that do not overlap, no clash with another rule) are the services'."""

    use_required_attribute = False

    weekdays = forms.MultipleChoiceField(
        label=_("开放日"),
        choices=WEEKDAY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("法定节假日不开放，即使落在所选的日子。"),
    )
    on_adjusted_workdays = forms.BooleanField(label=_("调休上班的周六、周日也开放"), required=False)
    slot_minutes = forms.TypedChoiceField(
        label=_("每个预约时段的长度"),
        coerce=int,
        error_messages={
            "required": _("请选择每个预约时段的长度"),
            "invalid_choice": _("请选择每个预约时段的长度"),
        },
        help_text=_("开放时间按此长度分成预约时段；每个时段的名额由事项的每日预约名额平均分配。"),
    )
    starts_on = DatePartsField(
        label=_("开始日期"),
        required_message=_("请填写开始日期"),
        invalid_message=_("开始日期须为真实的日期，如 2026年11月23日"),
    )
    ends_on = DatePartsField(
        label=_("结束日期"),
        required=False,
        required_message="",
        invalid_message=_("结束日期须为真实的日期，如 2026年12月31日"),
        help_text=_("不填则长期有效。"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot_minutes"].choices = [("", _("请选择"))] + [
            (minutes, _("%(n)s分钟") % {"n": minutes}) for minutes in SLOT_MINUTES
        ]
        for row in range(1, TIME_ROWS + 1):
            self.fields[f"start_{row}"] = forms.CharField(label=_("开始时间"), required=False, max_length=5)
            self.fields[f"end_{row}"] = forms.CharField(label=_("结束时间"), required=False, max_length=5)

    @property
    def time_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        names = [_("第一段"), _("第二段"), _("第三段")]
        return [
            (str(names[row - 1]), self[f"start_{row}"], self[f"end_{row}"]) for row in range(1, TIME_ROWS + 1)
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        ranges = []
        for row in range(1, TIME_ROWS + 1):
            raw = {part: cleaned.get(f"{part}_{row}", "").strip() for part in ("start", "end")}
            if not raw["start"] and not raw["end"]:
                continue
            times = {}
            for part, text in raw.items():
                name, what = f"{part}_{row}", _("开始时间") if part == "start" else _("结束时间")
                if not text:
                    self.add_error(name, _("请填写%(what)s") % {"what": what})
                elif (parsed := _parse_time(text)) is None:
                    self.add_error(name, _("%(what)s须为24小时制时间，如 09:00") % {"what": what})
                else:
                    times[part] = parsed
            if len(times) == 2:
                ranges.append((times["start"], times["end"]))
        cleaned["time_ranges"] = tuple(ranges)
        return cleaned

    def schedule(self) -> Schedule:
        data = self.cleaned_data
        return Schedule(
            weekdays=frozenset(int(day) for day in data["weekdays"]),
            on_adjusted_workdays=data["on_adjusted_workdays"],
            time_ranges=data["time_ranges"],
            slot_minutes=data["slot_minutes"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
        )

    def add_service_error(self, field: str, message: str) -> None:
        """A refusal from the services, next to the field it names (the first time field for times)."""
        field = {"time_ranges": "start_1", "target": "target"}.get(field, field)
        self.add_error(field if field in self.fields else None, message)


class NewRuleForm(ScheduleForm):
    """新建预约规则: which item or window, then the schedule."""

    field_order = ["target"]

    target = forms.ChoiceField(
        label=_("适用于"),
        error_messages={
            "required": _("请选择规则适用的事项或窗口"),
            "invalid_choice": _("请选择规则适用的事项或窗口"),
        },
        help_text=_("按窗口的规则适用于本部门在该窗口所在大厅的全部可预约事项；同一天事项自己的规则优先。"),
    )

    def __init__(
        self,
        *args,
        items: list[AppointableItem],
        windows: list[WindowRef],
        halls: dict[int, str],
        departments: dict[int, str],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [
            ("", _("请选择")),
            (
                _("按事项"),
                [
                    (f"item:{item.item_id}", f"{item.name}（{halls[item.hall_id]}）")
                    for item in items
                    if item.hall_id
                ],
            ),
            (
                _("按窗口"),
                [
                    (f"window:{w.id}:{w.department_id}", f"{w.label}（{departments[w.department_id]}）")
                    for w in windows
                ],
            ),
        ]

    def target_ids(self) -> dict[str, int]:
        kind, *ids = self.cleaned_data["target"].split(":")
        if kind == "item":
            return {"item_id": int(ids[0])}
        return {"window_id": int(ids[0]), "department_id": int(ids[1])}


class EditRuleForm(ScheduleForm):
    is_active = forms.BooleanField(
        label=_("启用这条规则"),
        required=False,
        help_text=_("停用后不再发布新的预约时段，尚未开始的空闲时段撤下；已预约的不受影响。"),
    )


class ClosureForm(ErrorLinksMixin, forms.Form):
    """停止预约: which items, which day, why."""

    use_required_attribute = False

    scope = forms.ChoiceField(
        label=_("停止预约的事项"),
        error_messages={"required": _("请选择停止预约的事项"), "invalid_choice": _("请选择停止预约的事项")},
    )
    date = DatePartsField(
        label=_("日期"),
        required_message=_("请填写停止预约的日期"),
        invalid_message=_("日期须为真实的日期，如 2026年11月23日"),
    )
    reason = forms.CharField(
        label=_("原因"),
        max_length=200,
        error_messages={"required": _("请填写停止预约的原因"), "max_length": _("原因须不超过200个字")},
        help_text=_("会告知已预约的申请人，如：大厅设备检修，暂停办理。"),
    )

    def __init__(
        self,
        *args,
        items: list[AppointableItem],
        halls: dict[int, str],
        departments: dict[int, str],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        pairs = sorted({(item.department_id, item.hall_id) for item in items if item.hall_id})
        self.fields["scope"].choices = [
            ("", _("请选择")),
            (
                _("全部事项"),
                [
                    (
                        f"hall:{department}:{hall}",
                        _("%(hall)s 本部门全部事项（%(department)s）")
                        % {"hall": halls[hall], "department": departments[department]},
                    )
                    for department, hall in pairs
                ],
            ),
            (
                _("单个事项"),
                [
                    (f"item:{item.item_id}", f"{item.name}（{halls[item.hall_id]}）")
                    for item in items
                    if item.hall_id
                ],
            ),
        ]

    def scope_ids(self) -> dict[str, int]:
        kind, *ids = self.cleaned_data["scope"].split(":")
        if kind == "item":
            return {"item_id": int(ids[0])}
        return {"department_id": int(ids[0]), "hall_id": int(ids[1])}

    def add_service_error(self, code: str, message: str) -> None:
        field = {
            "reason_required": "reason",
            "reason_too_long": "reason",
            "past": "date",
            "closed_already": "date",
            "not_found": "scope",
        }.get(code)
        self.add_error(field, message)


class SlotsForm(forms.Form):
    """Which hall, item and week the slots page shows (GET parameters)."""

    use_required_attribute = False

    hall = forms.TypedChoiceField(label=_("大厅"), coerce=int)
    item = forms.TypedChoiceField(label=_("事项"), coerce=int, required=False, empty_value=None)
    start = forms.DateField(label=_("日期"), input_formats=["%Y-%m-%d"])

    def __init__(self, *args, halls: list[HallRef], items: list[AppointableItem], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hall"].choices = [(hall.id, hall.name) for hall in halls]
        self.fields["item"].choices = [("", _("全部事项"))] + [(item.item_id, item.name) for item in items]
