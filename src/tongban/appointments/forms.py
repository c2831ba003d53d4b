"""Forms of the appointment pages. They only parse; every rule lives in the services."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.organizations.types import HallRef


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
