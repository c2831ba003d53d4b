"""Forms of the workflow pages, and the person pickers of 发起人自选 / 审批人自选."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tongban.workflow.errors import AssigneeChoiceError
from tongban.workflow.models import ProcessFamily, StepMeaning
from tongban.workflow.types import StepOutline


class DefinitionUploadForm(forms.Form):
    key = forms.SlugField(
        label=_("流程标识"),
        max_length=64,
        help_text=_("字母、数字、下划线或连字符；同一标识再次上传即为新版本"),
        error_messages={
            "required": _("请输入流程标识"),
            "invalid": _("流程标识只能包含字母、数字、下划线和连字符"),
        },
    )
    file = forms.FileField(
        label=_("BPMN文件"),
        error_messages={"required": _("请选择BPMN文件"), "empty": _("所选文件为空")},
    )
    family = forms.ChoiceField(
        label=_("流程类别"),
        choices=ProcessFamily.choices,
        initial=ProcessFamily.APPLICATION,
        required=False,  # 办件 when not given (uploads before issue 14)
        error_messages={"invalid_choice": _("请选择流程类别")},
    )
    view_only = forms.BooleanField(
        label=_("无法运行时仅作查看导入"),
        help_text=_(
            "平台不能运行的流程图（例如含服务任务，或未设为可执行）将保存为仅供查看的版本，并列出不能运行的原因；它不能用于办件"
        ),
        required=False,
    )


def assignee_field(step: StepOutline) -> str:
    """The form field of a step's picker (发起人自选, 审批人自选)."""
    return f"assignee_{step.element_id}"


def parse_assignee_choices(
    post_data: QueryDict | Mapping[str, Any], steps: Sequence[StepOutline], *, selectable: Collection[int]
) -> dict[str, list[int]]:
    """The people chosen for each of ``steps`` (element id -> user ids) from a picker rendered with
    ``workflow/_assignee_choice.html``. Every step needs at least one person, each one of
    ``selectable``; raises ``AssigneeChoiceError`` naming each step's problem."""
    chosen: dict[str, list[int]] = {}
    problems: dict[str, str] = {}
    allowed = set(selectable)
    for step in steps:
        field = assignee_field(step)
        values = post_data.getlist(field) if hasattr(post_data, "getlist") else post_data.get(field, [])
        if isinstance(values, str):
            values = [values]
        ids = [int(v) for v in values if str(v).isascii() and str(v).isdigit() and len(str(v)) < 19]
        if not values:
            problems[field] = gettext("请为“%(step)s”环节选择办理人") % {"step": step.name}
        elif len(ids) != len(values) or not set(ids) <= allowed:
            problems[field] = gettext("为“%(step)s”环节选择的人员不在可选范围内，请重新选择") % {
                "step": step.name
            }
        else:
            chosen[step.element_id] = sorted(set(ids))
    if problems:
        raise AssigneeChoiceError(problems)
    return chosen


@dataclass(frozen=True)
class AssigneePicker:
    """What ``workflow/_assignee_choice.html`` shows: one fieldset per step, the selectable staff as
    checkboxes, what was ticked and each step's error."""

    steps: list[tuple[StepOutline, str, str, set[str]]]  # step, field, error, ticked ids
    staff: list[tuple[int, str]]


def assignee_picker(
    steps: Sequence[StepOutline],
    staff: list[tuple[int, str]],
    *,
    post_data: QueryDict | None = None,
    error: AssigneeChoiceError | None = None,
) -> AssigneePicker:
    errors = error.field_errors if error else {}
    return AssigneePicker(
        steps=[
            (
                step,
                assignee_field(step),
                errors.get(assignee_field(step), ""),
                set(post_data.getlist(assignee_field(step))) if post_data is not None else set(),
            )
            for step in steps
        ],
        staff=staff,
    )


class StepKindForm(forms.Form):
    """添加 or 修改 a step kind; the service checks the answers (UX.md words)."""

    code = forms.CharField(
        label=_("环节类型代码"),
        help_text=_(
            "流程定义的 step 属性写这个代码。以小写字母开头，由小写字母、数字和下划线组成，例如 recheck"
        ),
        required=False,
        widget=forms.TextInput(attrs={"aria-required": "true", "autocomplete": "off", "spellcheck": "false"}),
    )
    name = forms.CharField(
        label=_("环节类型名称"),
        required=False,
        widget=forms.TextInput(attrs={"aria-required": "true", "autocomplete": "off"}),
    )
    meaning = forms.ChoiceField(
        label=_("在办件流程中的含义"),
        help_text=_(
            "办件流程的环节须有含义，办理页面据此提供受理、审查、决定、办结或送达；无含义的环节类型只用于内部事项和公文"
        ),
        required=False,
        choices=[("", _("无（只用于内部事项和公文）")), *StepMeaning.choices],
        widget=forms.RadioSelect,
    )

    def add_service_error(self, error: Any) -> None:
        for field, message in getattr(error, "field_errors", {}).items():
            self.add_error(field if field in self.fields else None, message)
        if not getattr(error, "field_errors", {}):
            self.add_error(None, error.message)
