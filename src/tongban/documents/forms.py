"""The 发文 pages' forms: 拟稿 (template and department), the 发文单 and 签发 (opinion and signature)."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.documents.models import Secrecy, Urgency

# A drawn signature arrives as a data URL; the PNG inside is checked again on the server (1 MB).
SIGNATURE_PREFIX = "data:image/png;base64,"
SIGNATURE_MAX_CHARS = 1_500_000
# Where the error summary points for each rule of documents.rules (their ``field``).
RULE_FIELDS = {
    "title": "id_title",
    "kind": "id_title",
    "main_recipients": "id_main_departments",
    "copy_recipients": "id_copy_departments",
    "copy_number": "id_copy_number",
    "secrecy": "id_secrecy",
    "secrecy_period": "id_secrecy_period",
    "countersign_departments": "id_countersign_departments",
    "signer": "id_signoff_opinion",
}


def _lines(text: str) -> list[str]:
    return [
        line.strip() for line in text.replace("，", "\n").replace("、", "\n").splitlines() if line.strip()
    ]


class NewDocumentForm(forms.Form):
    template = forms.TypedChoiceField(
        label=_("公文模板（文种和发文机关）"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择公文模板"), "invalid_choice": _("请选择公文模板")},
    )
    department = forms.TypedChoiceField(
        label=_("拟稿部门"),
        coerce=int,
        error_messages={"required": _("请选择拟稿部门"), "invalid_choice": _("请选择拟稿部门")},
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, templates: Any = (), departments: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [
            (t.id, f"{t.kind_label}：{t.name}" + (f"（{t.body_name}）" if t.body_name else ""))
            for t in templates
        ]
        self.fields["department"].choices = [(d.id, d.name) for d in departments]
        if len(departments) == 1:
            self.fields["department"].initial = departments[0].id


class DocumentSheetForm(forms.Form):
    """The 发文单 (稿纸): the GB/T 9704 elements the drafter and reviewers fill."""

    title = forms.CharField(
        label=_("标题"), max_length=400, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    main_departments = forms.TypedMultipleChoiceField(
        label=_("主送机关（平台内部门）"), coerce=int, required=False
    )
    main_names = forms.CharField(
        label=_("主送机关（其他机关，每行一个）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    copy_departments = forms.TypedMultipleChoiceField(
        label=_("抄送机关（平台内部门）"), coerce=int, required=False
    )
    copy_names = forms.CharField(
        label=_("抄送机关（其他机关，每行一个）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    countersign_departments = forms.TypedMultipleChoiceField(
        label=_("会签部门"), coerce=int, required=False, help_text=_("需要会签的其他部门；不选则不会签")
    )
    copy_number = forms.CharField(
        label=_("份号"), max_length=20, required=False, help_text=_("6位数字，可不填")
    )
    secrecy = forms.ChoiceField(label=_("密级"), choices=Secrecy.choices, required=False)
    secrecy_period = forms.CharField(label=_("保密期限"), max_length=20, required=False)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, required=False)
    attachments_note = forms.CharField(
        label=_("附件说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(label=_("附注"), max_length=200, required=False)
    printed_by = forms.CharField(label=_("印发机关"), max_length=100, required=False)

    def __init__(self, *args: Any, departments: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(d.id, d.name) for d in departments]
        for name in ("main_departments", "copy_departments", "countersign_departments"):
            self.fields[name].choices = choices
            self.fields[name].widget.attrs["size"] = min(8, max(3, len(choices)))

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "main_departments": data["main_departments"],
            "main_names": _lines(data["main_names"]),
            "copy_departments": data["copy_departments"],
            "copy_names": _lines(data["copy_names"]),
            "countersign_departments": data["countersign_departments"],
            "copy_number": data["copy_number"],
            "secrecy": data["secrecy"],
            "secrecy_period": data["secrecy_period"],
            "urgency": data["urgency"],
            "attachments_note": data["attachments_note"],
            "note": data["note"],
            "printed_by": data["printed_by"],
        }


def sheet_initial(view: Any) -> dict[str, Any]:
    """The form's values from the 发文单 as ``selectors.form_view`` shows it."""
    document = view.document
    return {
        "title": document.title,
        "main_departments": [r.department_id for r in view.main if r.department_id],
        "main_names": "\n".join(r.name for r in view.main if not r.department_id),
        "copy_departments": [r.department_id for r in view.copies if r.department_id],
        "copy_names": "\n".join(r.name for r in view.copies if not r.department_id),
        "countersign_departments": [d.id for d in view.countersign_departments],
        "copy_number": document.copy_number,
        "secrecy": document.secrecy,
        "secrecy_period": document.secrecy_period,
        "urgency": document.urgency,
        "attachments_note": document.attachments_note,
        "note": document.note,
        "printed_by": document.printed_by,
    }


class SignOffForm(forms.Form):
    """领导签发: the opinion and the handwritten signature (drawn, or the saved one)."""

    opinion = forms.CharField(
        label=_("签发意见"), max_length=2000, error_messages={"required": _("请填写签发意见")}
    )
    signature = forms.CharField(required=False, max_length=SIGNATURE_MAX_CHARS, widget=forms.HiddenInput)
    use_saved_signature = forms.BooleanField(label=_("使用我已保存的手写签名"), required=False)

    def clean_signature(self) -> bytes | None:
        value = self.cleaned_data.get("signature") or ""
        if not value:
            return None
        if not value.startswith(SIGNATURE_PREFIX):
            raise forms.ValidationError(_("手写签名须为PNG图片，请重新签名"))
        try:
            return base64.b64decode(value[len(SIGNATURE_PREFIX) :], validate=True)
        except (binascii.Error, ValueError):
            raise forms.ValidationError(_("手写签名无法读取，请重新签名")) from None
