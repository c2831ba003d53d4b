from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.accounts.forms import REQUIRED, ServiceForm
from tongban.moderation.models import WordAction, WordCategory


class _Choice(forms.ChoiceField):
    def validate(self, value: Any) -> None:  # the service checks it, with the UX.md words
        pass


class WordForm(ServiceForm):
    word = forms.CharField(
        label=_("敏感词"),
        help_text=_("不超过50个字，不区分大小写"),
        required=False,
        widget=forms.TextInput(attrs={**REQUIRED, "maxlength": 50}),
    )
    category = _Choice(label=_("类别"), choices=[("", _("请选择")), *WordCategory.choices], required=False)
    action = _Choice(
        label=_("处置"),
        help_text=_("拦截：含有该词的留言不能提交；人工审核：含有该词的留言经审核后公开"),
        choices=WordAction.choices,
        required=False,
        widget=forms.RadioSelect,
        initial=WordAction.REVIEW,
    )
