from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.ratings.models import Level

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
