from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.workflow.models import ProcessFamily


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
