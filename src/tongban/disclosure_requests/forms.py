from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.disclosure_requests.models import (
    ORGANIZATION_TYPES,
    AnswerType,
    Delivery,
    Format,
    RefusalGround,
    RuleKind,
)
from tongban.disclosure_requests.rules import REVIEW_GROUPS, REVIEW_RESULTS


class ApplyForm(forms.Form):
    department = forms.TypedChoiceField(
        label=_("向哪个机关申请"), coerce=int, error_messages={"required": _("请选择受理申请的机关")}
    )
    description = forms.CharField(
        label=_("所需政府信息的名称、文号或者便于查询的其他特征性描述"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages={"required": _("请描述所需的政府信息")},
    )
    purpose = forms.CharField(
        label=_("用途（选填）"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    delivery = forms.ChoiceField(
        label=_("获取信息的方式"),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择获取信息的方式")},
    )
    format = forms.ChoiceField(
        label=_("信息的载体形式"),
        choices=Format.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择信息的载体形式")},
    )
    contact_email = forms.CharField(
        label=_("电子邮箱（选择电子邮件获取时填写）"), required=False, max_length=200
    )
    postal_address = forms.CharField(label=_("邮寄地址（选择邮寄时填写）"), required=False, max_length=300)
    applicant_type = forms.ChoiceField(
        label=_("申请单位类型"),
        required=False,
        choices=[(t.value, t.label) for t in ORGANIZATION_TYPES],
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, departments: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("请选择")), *departments]


class AnswerForm(forms.Form):
    answer_type = forms.ChoiceField(
        label=_("答复类型"),
        choices=AnswerType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择答复类型")},
    )
    refusal_ground = forms.ChoiceField(
        label=_("不予公开（或部分不予公开）的法律依据"),
        choices=[("", _("不适用")), *RefusalGround.choices],
        required=False,
    )
    url = forms.CharField(label=_("已公开信息的网址"), required=False, max_length=500)
    picked_url = forms.CharField(required=False, max_length=500)
    holder_name = forms.CharField(label=_("掌握该信息的机关"), required=False, max_length=200)
    holder_contact = forms.CharField(label=_("该机关的联系方式"), required=False, max_length=200)
    text = forms.CharField(
        label=_("答复说明"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=3000
    )


class RuleForm(forms.Form):
    name = forms.CharField(
        label=_("规则名称"), max_length=60, error_messages={"required": _("请填写规则名称")}
    )
    kind = forms.ChoiceField(label=_("规则类型"), choices=RuleKind.choices)
    pattern = forms.CharField(
        label=_("正则表达式，或要遮蔽的词语（每行一个）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    replacement = forms.CharField(
        label=_("替换为"), max_length=20, initial="[已删除]", error_messages={"required": _("请填写替换文字")}
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class ReportForm(forms.Form):
    overview = forms.CharField(
        label=_("一、总体情况"), required=False, widget=forms.Textarea(attrs={"rows": 5}), max_length=10000
    )
    proactive_note = forms.CharField(
        label=_("二、主动公开政府信息情况（说明）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    problems = forms.CharField(
        label=_("五、存在的主要问题及改进情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
    )
    other_matters = forms.CharField(
        label=_("六、其他需要报告的事项"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for group, group_label in REVIEW_GROUPS:
            for result, result_label in REVIEW_RESULTS:
                self.fields[f"{group}:{result}"] = forms.IntegerField(
                    label=f"{group_label} {result_label}",
                    min_value=0,
                    max_value=100000,
                    initial=0,
                    error_messages={"invalid": _("请填写整数"), "min_value": _("数量不能为负数")},
                )

    def review_counts(self) -> dict[str, int]:
        return {
            f"{g}:{r}": int(self.cleaned_data.get(f"{g}:{r}") or 0)
            for g, _l in REVIEW_GROUPS
            for r, _rl in REVIEW_RESULTS
        }


def errors_of(form: forms.Form) -> list[tuple[str, str]]:
    """(target id, message) for the error summary: field errors first, then the form's own."""
    errors = []
    for name, messages in form.errors.items():
        target = f"id_{name}" if name != "__all__" else "main-heading"
        errors.extend((target, str(m)) for m in messages)
    return errors
