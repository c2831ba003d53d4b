import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.ratings.models import FollowUpResult, Level

LEVELS = [(level.value, level.label) for level in Level]


def _level(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=LEVELS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择%(label)s") % {"label": label}},
    )


class RatingForm(forms.Form):
    """The national questions (GB/T 39734-2020): overall first, then four aspects, and a comment."""

    level = _level(_("总体评价"))
    efficiency = _level(_("办事效率"))
    guide_accuracy = _level(_("办事指南准确性"))
    convenience = _level(_("办理便利度"))
    platform_usability = _level(_("平台好用程度"))
    comment = forms.CharField(
        label=_("评价内容（选填）"),
        help_text=_("选择不满意或非常不满意时，请写明原因"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one native ``<input type="file" multiple>``; what each may be is checked by
    the service (core.uploads)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class ReplyForm(forms.Form):
    """整改情况, with attachments."""

    text = forms.CharField(
        label=_("整改情况"),
        help_text=_("写明核实的情况、采取的整改措施和结果"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("请填写整改情况"),
            "max_length": _("整改情况须少于%(limit_value)d字"),
        },
    )
    attachments = MultipleFileField(
        label=_("附件（选填）"),
        help_text=_("PDF、JPG、PNG 或 OFD 格式，每个文件须小于 10MB，最多 5 个"),
        required=False,
        error_messages={"empty": _("所选文件为空")},
    )


class FollowUpForm(forms.Form):
    """回访: result, date (three fields 年/月/日, UX.md) and what the rater said."""

    result = forms.ChoiceField(
        label=_("回访结果"),
        choices=FollowUpResult.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择回访结果")},
    )
    contacted_year = forms.CharField(label=_("年"), required=False, max_length=4)
    contacted_month = forms.CharField(label=_("月"), required=False, max_length=2)
    contacted_day = forms.CharField(label=_("日"), required=False, max_length=2)
    note = forms.CharField(
        label=_("回访情况"),
        help_text=_("群众的意见；回访结果为不满意时必填"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("回访情况须少于%(limit_value)d字")},
    )

    def clean(self):
        cleaned = super().clean()
        parts = [str(cleaned.get(f"contacted_{part}") or "").strip() for part in ("year", "month", "day")]
        if not all(parts):
            self.add_error("contacted_year", _("请输入回访日期"))
            return cleaned
        try:
            cleaned["contacted_on"] = dt.date(*(int(part) for part in parts))
        except ValueError:
            self.add_error("contacted_year", _("回访日期须为真实存在的日期，例如 2026年12月1日"))
        return cleaned
