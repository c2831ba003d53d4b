"""The workflow operations on a request step's task page (workflow.task_operations): 加签 and 减签,
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
from tongban.office import services
from tongban.office.views.tasks import refused_on_task_page, visible_task
from tongban.workflow import task_operations

T = TypeVar("T")


def _run(
    request: HttpRequest,
    task_id: uuid.UUID,
    call: Callable[[], T],
    success: Callable[[T, str], str],
    *,
    field: str,
    stay: Callable[[T], bool] = lambda _result: False,
) -> HttpResponse:
    """One operation (POST): refused, the task page with the reason at ``field``; done, the message
    ``success(result, request number)``, then the task page while ``stay`` says it is still mine to
    see, else the inbox."""
    task, found = visible_task(request, task_id)
    try:
        result = call()
    except TongbanError as exc:
        return refused_on_task_page(request, task, found, exc, field)
    messages.success(request, success(result, found.number or ""))
    if stay(result):
        return redirect("office:task", task_id=task.id)
    return redirect("applications:staff_inbox")


@require_POST
@staff_only
def add_signers(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """加签: colleagues sign before me, or after me before my decision takes effect."""
    return _run(
        request,
        task_id,
        task_operations.add_signers_call(request.POST, task_id=task_id, user_id=request.user.pk),
        lambda _added, number: _("已加签：%(number)s") % {"number": number},
        field="id_add_signers_reason",
        stay=lambda _added: True,
    )


@require_POST
@staff_only
def remove_signer(request: HttpRequest, task_id: uuid.UUID, signer_id: int) -> HttpResponse:
    """减签: take back a signer I added who has not signed yet (it may decide the step)."""
    return _run(
        request,
        task_id,
        lambda: services.remove_request_signer(
            task_id=task_id,
            signer_id=signer_id,
            user_id=request.user.pk,
            reason=request.POST.get("reason", ""),
        ),
        lambda _completion, number: _("已减签：%(number)s") % {"number": number},
        field="removable-signers",
        stay=lambda completion: completion is None,
    )


@require_POST
@staff_only
def reassign(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """转办 (hand over) or 委派 (ask for an opinion, then decide oneself) to a colleague of the step."""
    return _run(
        request,
        task_id,
        task_operations.reassign_call(request.POST, task_id=task_id, user_id=request.user.pk),
        lambda _task, number: _("已转交：%(number)s") % {"number": number},
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
        lambda _task, number: _("已交回委派人：%(number)s") % {"number": number},
        field="id_delegate_opinion",
    )


@require_POST
@staff_only
def copy(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """抄送/传阅 the request to colleagues of the step's department, who may then read it."""
    return _run(
        request,
        task_id,
        task_operations.copy_call(request.POST, task_id=task_id, user_id=request.user.pk),
        lambda added, number: _("已抄送%(n)s人：%(number)s") % {"n": added, "number": number},
        field="copy-readers",
        stay=lambda _added: True,
    )
