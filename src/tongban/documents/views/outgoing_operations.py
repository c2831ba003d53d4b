"""The workflow operations on a 发文 step's task page (workflow.operation_views): 加签 and 减签,
转办/委派 and 交回委派人, 抄送/传阅. A refusal comes back on the task page beside its panel."""

from __future__ import annotations

from tongban.documents.services import steps
from tongban.documents.views.outgoing_tasks import refused_on_task_page, visible_task
from tongban.workflow.operation_views import TaskFamilyPages, operation_views

_views = operation_views(
    TaskFamilyPages(
        visible_task=visible_task,
        refused=refused_on_task_page,
        task_url="documents:task",
        remove_signer=steps.remove_signer_step,
        number_of=lambda document: document.document_number or "",
        refusals=steps.workflow_refusals,
    )
)
claim = _views.claim
add_signers = _views.add_signers
remove_signer = _views.remove_signer
reassign = _views.reassign
delegate_return = _views.delegate_return
copy = _views.copy
