"""The id of the request being handled, for the audit log and every log record (T-J2, T-J3).

``RequestIdMiddleware`` gives each request a new random id, answers it in ``X-Request-ID`` and keeps
it in a context variable, so services and log records deep in a call see it without being passed it.
An id sent by the client is not trusted: it could forge or collide with other requests' entries."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_request_id: ContextVar[str] = ContextVar("tongban_request_id", default="")


def current_request_id() -> str:
    """The id of the request being handled, or "" outside one (tasks, commands)."""
    return _request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response
