"""The exchange API for department systems (OAuth2 client credentials)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tongban.sharing import selectors, services
from tongban.sharing.api.auth import ExchangeClientThrottle, IsExchangeClient
from tongban.sharing.api.serializers import DataResourceSerializer, QuerySerializer, SharedDataSerializer


class ExchangeView:
    # Bearer tokens only: a browser session never reaches the exchange.
    authentication_classes = [OAuth2Authentication]
    permission_classes = [IsExchangeClient]
    throttle_classes = [ExchangeClientThrottle]


class ResourceList(ExchangeView, generics.ListAPIView):
    """信息资源目录: every resource with its catalog fields and data items."""

    serializer_class = DataResourceSerializer

    def get_queryset(self):
        return selectors.published_resources()


class ResourceQuery(ExchangeView, APIView):
    """Query one resource about one subject; only the items granted for the purpose come back.

    A write (it adds a usage-log row), so it needs ``Idempotency-Key`` and ``X-Timestamp`` (T-D4)."""

    @extend_schema(
        request=QuerySerializer,
        responses=SharedDataSerializer,
        parameters=[
            OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=True),
            OpenApiParameter("X-Timestamp", int, OpenApiParameter.HEADER, required=True),
        ],
    )
    def post(self, request: Request, code: str) -> Response:
        serializer = QuerySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        answer = services.query_resource_once(
            caller=request.exchange_caller,  # type: ignore[attr-defined]
            idempotency_key=request.headers.get("Idempotency-Key", ""),
            timestamp=request.headers.get("X-Timestamp", ""),
            resource_code=code,
            subject_identifier=serializer.validated_data["subject"],
            purpose=serializer.validated_data["purpose"],
            case_ref=serializer.validated_data["case_ref"],
        )
        headers = {"Cache-Control": "no-store"}
        if answer.replayed:
            headers["Idempotent-Replayed"] = "true"
        return Response(answer.body, status=answer.status, headers=headers)
