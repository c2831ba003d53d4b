"""The workflow operations on a 发文 step's task page (workflow.task_operations): 加签 and 减签,
转办/委派 and 交回委派人, 抄送/传阅. A refusal comes back on the task page beside its panel."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongban.accounts.access import staff_only
from tongban.core.errors import TongbanError
from tongban.documents.services import steps
from tongban.documents.views.outgoing_tasks import refused_on_task_page, visible_task
from tongban.workflow import task_operations

T = TypeVar("T")


def _run(
    request: HttpRequest,
    task_id: uuid.UUID,
    call: Callable[[], T],
    success: Callable[[T], str],
    *,
    field: str,
    stay: Callable[[T], bool] = lambda _result: False,
) -> HttpResponse:
    task, document = visible_task(request, task_id)
    try:
        with steps.workflow_refusals():
            result = call()
    except TongbanError as exc:
        return refused_on_task_page(request, task, document, exc, field)
    messages.success(request, success(result))
    if stay(result):
        return redirect("documents:task", task_id=task.id)
    return redirect("applications:staff_inbox")


@require_POST
@staff_only
def add_signers(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """加签: colleagues sign before me, or after me before my decision takes effect."""
    return _run(
        request,
        task_id,
        task_operations.add_signers_call(request.POST, task_id=task_id, user_id=request.user.pk),
        lambda _added: _("已加签"),
        field="id_add_signers_reason",
        stay=lambda _added: True,
    )


@require_POST
@staff_only
def remove_signer(request: HttpRequest, task_id: uuid.UUID, signer_id: int) -> HttpResponse:
    """减签: take back a signer I added who has not signed yet."""
    return _run(
        request,
        task_id,
        lambda: steps.remove_signer_step(
            task_id=task_id,
            signer_id=signer_id,
            user_id=request.user.pk,
            reason=request.POST.get("reason", ""),
        ),
        lambda _completion: _("已减签"),
        field="removable-signers",
        stay=lambda completion: completion is None,
    )


@require_POST
@staff_only
def reassign(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """转办 or 委派 to a colleague of the step."""
    return _run(
        request,
        task_id,
        task_operations.reassign_call(request.POST, task_id=task_id, user_id=request.user.pk),
        lambda _task: _("已转交"),
        field="id_reassign_reason",
    )


@require_POST
@staff_only
def delegate_return(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """The delegate's opinion; the step goes back to whoever delegated it."""
    return _run(
        request,
        task_id,
        task_operations.delegate_return_call(request.POST, task_id=task_id, user_id=request.user.pk),
        lambda _task: _("已交回委派人"),
        field="id_delegate_opinion",
    )


@require_POST
@staff_only
def copy(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """抄送/传阅 the document to colleagues of the step's department, who may then read it."""
    return _run(
        request,
        task_id,
        task_operations.copy_call(request.POST, task_id=task_id, user_id=request.user.pk),
        lambda added: _("已抄送%(n)s人") % {"n": added},
        field="copy-readers",
        stay=lambda _added: True,
    )
