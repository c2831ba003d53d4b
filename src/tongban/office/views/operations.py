"""The workflow operations on a request step's task page (workflow.operation_views): 加签 and 减签,
转办/委派 and 交回委派人, 抄送/传阅. A refusal comes back on the task page beside its panel."""

from __future__ import annotations

from tongban.office import services
from tongban.office.views.tasks import refused_on_task_page, visible_task
from tongban.workflow.operation_views import TaskFamilyPages, operation_views

_views = operation_views(
    TaskFamilyPages(
        visible_task=visible_task,
        refused=refused_on_task_page,
        task_url="office:task",
        remove_signer=services.remove_request_signer,
        number_of=lambda request: request.number or "",
    )
)
claim = _views.claim
add_signers = _views.add_signers
remove_signer = _views.remove_signer
reassign = _views.reassign
delegate_return = _views.delegate_return
copy = _views.copy
