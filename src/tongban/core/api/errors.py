"""API errors as JSON with a readable message; domain errors become 400/409, never 500. Refusals are
audited (T-J2): permission refusals, and requests that tried to set protected fields (T-B5)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from tongban.core import audit
from tongban.core.api.serializers import UnknownFieldsError
from tongban.core.errors import TongbanError


def exception_handler(exc, context):
    request = context.get("request")
    if request is not None:
        _audit(exc, request)
    if isinstance(exc, TongbanError):
        return Response({"detail": exc.message, "code": exc.code, "errors": exc.details}, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        messages = exc.messages
        return Response(
            {"detail": messages[0] if messages else "", "code": "invalid", "errors": messages},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)


def _audit(exc: Exception, request) -> None:
    if isinstance(exc, UnknownFieldsError):
        audit.record_protected_fields(request, exc.names, object_type="api")
    elif isinstance(
        exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed | exceptions.PermissionDenied
    ):
        audit.record_request(request, event="api", object_type="url", object_id=request.path, denied=True)
