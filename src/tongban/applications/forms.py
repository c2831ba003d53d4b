from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.core.identifiers import is_valid_resident_id


class CorrectionForm(forms.Form):
    """预审退回补正: what to fix and why; the choices are the application's own fields and materials."""

    reason = forms.CharField(
        label=_("补正说明"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请输入补正说明")},
    )
    field_names = forms.MultipleChoiceField(
        label=_("须修改的填报项"), required=False, widget=forms.CheckboxSelectMultiple
    )
    material_ids = forms.TypedMultipleChoiceField(
        label=_("须补正的材料"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, field_choices=(), material_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field_names"].choices = field_choices
        self.fields["material_ids"].choices = material_choices

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("field_names") and not cleaned.get("material_ids"):
            raise forms.ValidationError(_("请选择须补正的填报项或材料"))
        return cleaned


class MaterialUploadForm(forms.Form):
    """One file for one material; what the file may be is checked by the service (core.uploads)."""

    requirement_id = forms.IntegerField(min_value=1)
    file = forms.FileField(error_messages={"required": _("请选择要上传的文件"), "empty": _("所选文件为空")})

    def requirement_or_zero(self) -> int:
        value = self.data.get("requirement_id", "")
        return int(value) if str(value).isdigit() else 0

    def first_error(self) -> str:
        for errors in self.errors.values():
            return str(errors[0])
        return ""


class WithdrawForm(forms.Form):
    """撤回申请: why (kept in the case's record)."""

    reason = forms.CharField(
        label=_("撤回原因"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写撤回原因。"), "max_length": _("撤回原因不能超过200个字。")},
    )


class StatusQueryForm(forms.Form):
    """办件查询 without logging in: the receipt number and the applicant's ID number (POST only, T-M1)."""

    number = forms.CharField(
        label=_("办件编号"), max_length=32, error_messages={"required": _("请输入办件编号")}
    )
    resident_id = forms.CharField(
        label=_("申请人身份证号码"),
        max_length=18,
        error_messages={"required": _("请输入申请人身份证号码"), "max_length": _("身份证号码应为18位")},
    )

    def clean_resident_id(self) -> str:
        """The number's own rules (length, province, birth date, check character), told apart from a
        case that is not found: they say nothing about which cases exist (T-A2)."""
        value = self.cleaned_data["resident_id"].strip().upper()
        if len(value) != 18:
            raise forms.ValidationError(_("身份证号码应为18位"))
        if not is_valid_resident_id(value):
            raise forms.ValidationError(_("身份证号码不正确，请核对后重新输入"))
        return value


class TaskActionForm(forms.Form):
    """One step's decision: the action the step offers, an opinion, and for 送达 the method.
    Nothing else is read from the request: the next step is the model's (T-H3)."""

    action = forms.ChoiceField(
        label=_("办理结果"), widget=forms.RadioSelect, error_messages={"required": _("请选择办理结果")}
    )
    opinion = forms.CharField(
        label=_("办理意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    delivery_method = forms.ChoiceField(label=_("送达方式"), required=False, widget=forms.RadioSelect)
    phrase = forms.ChoiceField(label=_("常用语"), required=False)

    def __init__(self, *args, actions=(), delivery_choices=(), phrases=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phrase"].choices = [("", _("（选择常用语）"))] + [(p, p) for p in phrases]
        self.fields["action"].choices = [(a.code, a.label) for a in actions]
        if len(actions) == 1:
            self.fields["action"].initial = actions[0].code
        if delivery_choices:
            self.fields["delivery_method"].choices = delivery_choices
        else:
            del self.fields["delivery_method"]

    def clean(self) -> dict:
        cleaned = super().clean()
        # Without JavaScript a chosen phrase is the opinion when none was typed.
        if not (cleaned.get("opinion") or "").strip() and cleaned.get("phrase"):
            cleaned["opinion"] = cleaned["phrase"]
        return cleaned


class SignForm(forms.Form):
    """会签/加签: 同意 or 不同意, with an opinion (the chosen common phrase when none was typed). A
    missing or unknown decision is refused: it is never read as 不同意."""

    decision = forms.ChoiceField(
        label=_("签署意见"),
        choices=[("approve", _("同意")), ("reject", _("不同意"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择同意或不同意"), "invalid_choice": _("请选择同意或不同意")},
    )
    opinion = forms.CharField(label=_("意见"), required=False, max_length=2000)
    phrase = forms.CharField(label=_("常用语"), required=False, max_length=2000)

    def clean(self) -> dict:
        cleaned = super().clean()
        cleaned["opinion"] = (cleaned.get("opinion") or "").strip() or (cleaned.get("phrase") or "").strip()
        return cleaned


class SpecialProcedureForm(forms.Form):
    kind = forms.ChoiceField(label=_("特别程序种类"), error_messages={"required": _("请选择特别程序")})
    reason = forms.CharField(
        label=_("启动理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请输入启动特别程序的理由")},
    )

    def __init__(self, *args, kinds=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, k) for k in kinds]


class SpecialProcedureEndForm(forms.Form):
    outcome = forms.CharField(
        label=_("特别程序结论"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请输入特别程序的结论")},
    )


class RevealForm(forms.Form):
    """查看完整号码: why the full number is needed; the reason goes into the audit log (T-M3)."""

    reason = forms.CharField(
        label=_("查看理由"),
        max_length=100,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("请输入查看理由"),
            "max_length": _("查看理由不能超过%(limit_value)d个字"),
        },
    )
