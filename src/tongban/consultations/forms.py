"""Forms of the consultation pages. They only parse: the rules and their messages live in the services,
whose ``field_errors`` come back here to be shown next to the answers (UX.md)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongban.accounts.forms import REQUIRED, ServiceForm
from tongban.appointments.forms import DatePartsField
from tongban.consultations.models import Adoption
from tongban.consultations.types import ConsultationDraft, InterviewDraft
from tongban.organizations.forms import parse_id
from tongban.organizations.types import DepartmentRef

TIME = re.compile(r"^\s*(\d{1,2})[:：](\d{2})\s*$")


class _Choice(forms.ChoiceField):
    def validate(self, value: Any) -> None:  # the service checks it, with the UX.md words
        pass


def _text(label: Any, max_length: int, hint: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        widget=forms.TextInput(attrs={**REQUIRED, "maxlength": max_length}),
    )


def _area(label: Any, rows: int = 6, hint: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label, help_text=hint, required=False, widget=forms.Textarea(attrs={**REQUIRED, "rows": rows})
    )


def _date(label: Any, what: str) -> DatePartsField:
    return DatePartsField(
        label=label,
        help_text=_("例如 2027 3 31"),
        required=False,
        required_message=_("请输入%(what)s") % {"what": what},
        invalid_message=_("%(what)s须为真实的日期") % {"what": what},
    )


class _Departments(ServiceForm):
    department = _Choice(label=_("部门"), required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, departments: list[DepartmentRef], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("请选择"))] + [(str(d.id), d.name) for d in departments]
        if len(departments) == 1 and not self.initial.get("department"):
            self.initial["department"] = str(departments[0].id)
        if not self.is_bound and not self.initial.get("idempotency_key"):
            self.initial["idempotency_key"] = uuid.uuid4().hex


class ConsultationForm(_Departments):
    title = _text(_("标题"), 120, _("例如：《云州市物业管理条例（征求意见稿）》"))
    summary = _area(_("说明"), 5, _("征集的目的、起草背景和主要内容，公众在征集页面顶部看到"))
    opens_on = _date(_("开始日期"), "开始日期")
    closes_on = _date(_("截止日期"), "截止日期")
    requires_premoderation = forms.BooleanField(
        label=_("所有留言先审核后公开（不勾选时，未发现敏感词和个人信息的留言立即公开）"), required=False
    )
    field_order = ["title", "summary", "department", "opens_on", "closes_on", "requires_premoderation"]

    def draft(self) -> ConsultationDraft:
        data = self.cleaned_data
        return ConsultationDraft(
            title=data.get("title") or "",
            summary=data.get("summary") or "",
            department_id=parse_id(data.get("department") or ""),
            opens_on=data.get("opens_on"),
            closes_on=data.get("closes_on"),
            requires_premoderation=bool(data.get("requires_premoderation")),
        )


def _time(value: str) -> dt.time | None:
    match = TIME.match(value or "")
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2])
    return dt.time(hour, minute) if hour < 24 and minute < 60 else None


class InterviewForm(_Departments):
    title = _text(_("访谈主题"), 120)
    guests = _text(_("访谈嘉宾"), 300, _("例如：市住房和城乡建设局局长 李明"))
    description = _area(_("访谈简介"), 5)
    starts_on = _date(_("访谈日期"), "访谈日期")
    starts_time = _text(_("开始时间"), 5, _("24小时制，例如 15:00"))
    ends_time = _text(_("结束时间"), 5, _("24小时制，例如 16:30"))
    requires_premoderation = forms.BooleanField(label=_("所有提问先审核后公开"), required=False)
    field_order = ["title", "guests", "description", "department", "starts_on", "starts_time", "ends_time"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("starts_time", "ends_time"):
            if data.get(name) and _time(data[name]) is None:
                self.add_error(name, _("时间须为24小时制的时和分，例如 15:00"))
        return data

    def _at(self, name: str) -> dt.datetime | None:
        day, time = self.cleaned_data.get("starts_on"), _time(self.cleaned_data.get(name) or "")
        if day is None or time is None:
            return None
        return dt.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())

    def draft(self) -> InterviewDraft:
        data = self.cleaned_data
        return InterviewDraft(
            title=data.get("title") or "",
            guests=data.get("guests") or "",
            description=data.get("description") or "",
            department_id=parse_id(data.get("department") or ""),
            starts_at=self._at("starts_time"),
            ends_at=self._at("ends_time"),
            requires_premoderation=bool(data.get("requires_premoderation")),
        )


class SectionForm(ServiceForm):
    heading = _text(_("章节标题"), 120, _("例如：第一章 总则"))
    text = _area(_("条文"), 10)


class CommentForm(ServiceForm):
    body = forms.CharField(required=False, strip=False)
    section = forms.CharField(required=False)
    idempotency_key = forms.CharField(required=False)


class AnswerForm(ServiceForm):
    answer = _area(_("答复"), 4)


class RejectForm(ServiceForm):
    reason = _text(_("不予公开的原因"), 300, _("留言人在“我的留言”中看到"))


class AdoptionForm(ServiceForm):
    adoption = _Choice(
        label=_("采纳情况"), choices=Adoption.choices, required=False, widget=forms.RadioSelect
    )
    reason = _text(_("理由"), 500, _("部分采纳和未采纳须说明理由"))


class ResultForm(ServiceForm):
    summary = _area(_("采纳情况说明"), 8, _("总体采纳情况，公众在结果页面看到"))


class TranscriptForm(ServiceForm):
    transcript = _area(_("访谈实录"), 12, _("访谈摘要或文字实录，发布后公众在访谈页面看到"))
