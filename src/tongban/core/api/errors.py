"""API errors as JSON with a readable message; domain errors become 400/409, never 500."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from tongban.core.errors import TongbanError


def exception_handler(exc, context):
    if isinstance(exc, TongbanError):
        return Response({"detail": exc.message, "code": exc.code, "errors": exc.details}, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        messages = exc.messages
        return Response(
            {"detail": messages[0] if messages else "", "code": "invalid", "errors": messages},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)
