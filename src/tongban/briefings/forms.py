"""The forms of 政务信息报送 pages: they parse the request; the services decide."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.briefings.models import Kind, Urgency


class _Form(forms.Form):
    use_required_attribute = False  # server-side validation only (UX.md)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.required and not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs["aria-required"] = "true"


def _required(message) -> dict:
    """An empty or unknown choice both get the instruction (never Django's 选择一个有效的选项)."""
    return {"required": message, "invalid_choice": message, "invalid_list": message}


class SubmissionForm(_Form):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    department = forms.TypedChoiceField(
        label=_("报送单位"), coerce=int, error_messages=_required(_("请选择报送单位"))
    )
    publication = forms.TypedChoiceField(
        label=_("报送刊物"), coerce=int, error_messages=_required(_("请选择报送刊物"))
    )
    title = forms.CharField(
        label=_("标题"),
        max_length=100,
        error_messages={"required": _("请输入标题"), "max_length": _("标题不能超过100个字")},
    )
    kind = forms.ChoiceField(
        label=_("信息类型"),
        choices=[("", _("请选择")), *Kind.choices],
        error_messages=_required(_("请选择信息类型")),
    )
    urgency = forms.ChoiceField(
        label=_("紧急程度"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        error_messages=_required(_("请选择紧急程度")),
    )
    body = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 12, "cols": 20}),
        max_length=20000,
        error_messages={"required": _("请输入正文"), "max_length": _("正文不能超过20000字")},
    )
    attachment = forms.FileField(
        label=_("附件"),
        required=False,
        help_text=_("PDF、JPG 或 PNG 格式，小于 10MB"),
    )

    def __init__(
        self, *args, departments: list[tuple[int, str]], publications: list[tuple[int, str]], **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = departments
        self.fields["publication"].choices = publications
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)


class TextForm(_Form):
    """The text of a 信息: the reporter's 重报 and the editor's 修改."""

    title = forms.CharField(
        label=_("标题"),
        max_length=100,
        error_messages={"required": _("请输入标题"), "max_length": _("标题不能超过100个字")},
    )
    body = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 14, "cols": 20}),
        max_length=20000,
        error_messages={"required": _("请输入正文"), "max_length": _("正文不能超过20000字")},
    )


class ReasonForm(_Form):
    reason = forms.CharField(
        label=_("意见"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 20}),
        max_length=500,
        error_messages=_required(_("请输入意见")),
    )


NEW_ISSUE = "new"


class AdoptForm(_Form):
    issue = forms.ChoiceField(label=_("采用到"), error_messages=_required(_("请选择采用到哪一期")))

    def __init__(self, *args, issues: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issue"].choices = [*issues, (NEW_ISSUE, _("新建一期"))]


class LevelRecordForm(_Form):
    level = forms.TypedChoiceField(
        label=_("采用级别"), coerce=int, error_messages=_required(_("请选择采用级别"))
    )
    evidence = forms.CharField(
        label=_("依据"),
        max_length=200,
        help_text=_("如：《浙江政务信息》2026年第30期，或领导批示件的文号"),
        error_messages=_required(_("请输入依据，如采用刊物期号或批示件")),
    )

    def __init__(self, *args, levels: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", _("请选择")), *levels]


class EditorNoteForm(_Form):
    editor_note = forms.CharField(
        label=_("编者按"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 20}),
        max_length=2000,
        required=False,
    )


class CirculateForm(_Form):
    departments = forms.TypedMultipleChoiceField(
        label=_("传阅单位"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages=_required(_("请选择传阅单位")),
    )

    def __init__(self, *args, departments: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].choices = departments


class LevelForm(_Form):
    points = forms.CharField(label=_("分值"), max_length=8, error_messages=_required(_("请输入分值")))
    is_active = forms.BooleanField(label=_("启用"), required=False)


class NewLevelForm(_Form):
    name = forms.CharField(
        label=_("采用级别名称"), max_length=30, error_messages=_required(_("请输入采用级别名称"))
    )
    points = forms.CharField(label=_("分值"), max_length=8, error_messages=_required(_("请输入分值")))


class PublicationForm(_Form):
    name = forms.CharField(
        label=_("刊物名称"),
        max_length=50,
        help_text=_("如：云州政务信息"),
        error_messages=_required(_("请输入刊物名称")),
    )
