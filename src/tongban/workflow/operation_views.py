"""The views of the shared workflow operations (签收, 加签, 减签, 转办/委派, 交回委派人, 抄送) for a family of
subjects whose steps have their own task page (内部事项, 发文, 收文). A family says how it finds a task
within the viewer's reach and shows a refusal on its page; the views are the same for all:

    views = operation_views(TaskFamilyPages(visible_task=…, refused=…, task_url="office:task", …))
    add_signers = views.add_signers

A refusal comes back on the task page beside its panel; a done operation shows a message naming the
subject's number and returns to the task page while it is still the user's to see, else to 待办."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongban.accounts.access import staff_only
from tongban.core.errors import TongbanError
from tongban.workflow import services as workflow_services
from tongban.workflow import task_operations
from tongban.workflow.types import TaskRef

View = Callable[..., HttpResponse]


def _user_id(request: HttpRequest) -> int:
    return cast(int, request.user.pk)  # staff_only: a signed-in staff member


def _no_bookkeeping(_subject: Any) -> None:
    return None


def _no_number(_subject: Any) -> str:
    return ""


@dataclass(frozen=True)
class TaskFamilyPages:
    """How one family's pages find a task and answer a refusal.

    ``visible_task(request, task_id)`` returns (task, the family's object) or raises Http404 (audited);
    ``refused(request, task, obj, error, field)`` renders the task page with the error at ``field``;
    ``remove_signer(task_id=, signer_id=, user_id=, reason=)`` is the family's 减签 (it may decide the
    step: None while the step stays open); ``number_of(obj)`` names the subject in messages;
    ``after(obj)`` is the family's bookkeeping after an operation (e.g. its status follows the steps);
    ``refusals()`` turns the engine's errors into the family's while an operation runs."""

    visible_task: Callable[[HttpRequest, uuid.UUID], tuple[TaskRef, Any]]
    refused: Callable[[HttpRequest, TaskRef, Any, TongbanError, str], HttpResponse]
    task_url: str
    remove_signer: Callable[..., Any]
    number_of: Callable[[Any], str] = _no_number
    after: Callable[[Any], None] = _no_bookkeeping
    refusals: Callable[[], AbstractContextManager[None]] = nullcontext


@dataclass(frozen=True)
class OperationViews:
    claim: View
    add_signers: View
    remove_signer: View
    reassign: View
    delegate_return: View
    copy: View


def operation_views(pages: TaskFamilyPages) -> OperationViews:
    def run(
        request: HttpRequest,
        task_id: uuid.UUID,
        call: Callable[[], Any],
        message: Callable[[Any], str],
        *,
        field: str,
        stay: Callable[[Any], bool] = lambda _result: False,
    ) -> HttpResponse:
        task, found = pages.visible_task(request, task_id)
        try:
            with pages.refusals():
                result = call()
        except TongbanError as exc:
            return pages.refused(request, task, found, exc, field)
        pages.after(found)
        number = pages.number_of(found)
        messages.success(request, f"{message(result)}：{number}" if number else message(result))
        if stay(result):
            return redirect(pages.task_url, task_id=task.id)
        return redirect("applications:staff_inbox")

    @require_POST
    @staff_only
    def claim(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
        """签收: the step becomes mine; a colleague who was faster wins (a message, no error page)."""
        pages.visible_task(request, task_id)
        try:
            workflow_services.claim_task(task_id=task_id, user_id=_user_id(request))
        except TongbanError as exc:
            if exc.status == 404:
                raise Http404 from exc
            messages.error(request, exc.message)
            return redirect("applications:staff_inbox")
        return redirect(pages.task_url, task_id=task_id)

    @require_POST
    @staff_only
    def add_signers(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
        """加签: colleagues sign before me, or after me before my decision takes effect."""
        call = task_operations.add_signers_call(request.POST, task_id=task_id, user_id=_user_id(request))
        return run(
            request,
            task_id,
            call,
            lambda _r: _("已加签"),
            field="id_add_signers_reason",
            stay=lambda _r: True,
        )

    @require_POST
    @staff_only
    def remove_signer(request: HttpRequest, task_id: uuid.UUID, signer_id: int) -> HttpResponse:
        """减签: take back a signer I added who has not signed yet (it may decide the step)."""

        def call() -> Any:
            return pages.remove_signer(
                task_id=task_id,
                signer_id=signer_id,
                user_id=_user_id(request),
                reason=request.POST.get("reason", ""),
            )

        return run(
            request,
            task_id,
            call,
            lambda _r: _("已减签"),
            field="removable-signers",
            stay=lambda completion: completion is None,
        )

    @require_POST
    @staff_only
    def reassign(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
        """转办 (hand over) or 委派 (ask for an opinion, then decide oneself) to a colleague of the step."""
        call = task_operations.reassign_call(request.POST, task_id=task_id, user_id=_user_id(request))
        return run(request, task_id, call, lambda _r: _("已转交"), field="id_reassign_reason")

    @require_POST
    @staff_only
    def delegate_return(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
        """The delegate's opinion; the step goes back to whoever delegated it."""
        call = task_operations.delegate_return_call(request.POST, task_id=task_id, user_id=_user_id(request))
        return run(request, task_id, call, lambda _r: _("已交回委派人"), field="id_delegate_opinion")

    @require_POST
    @staff_only
    def copy(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
        """抄送/传阅 to colleagues of the step's department, who may then read the subject."""
        call = task_operations.copy_call(request.POST, task_id=task_id, user_id=_user_id(request))
        return run(
            request,
            task_id,
            call,
            lambda added: _("已抄送%(n)s人") % {"n": added},
            field="copy-readers",
            stay=lambda _r: True,
        )

    return OperationViews(claim, add_signers, remove_signer, reassign, delegate_return, copy)
