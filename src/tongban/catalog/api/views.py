"""Catalog REST API: public reads of published items; staff writes scoped to their departments."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tongban.catalog import selectors, services
from tongban.catalog.api.serializers import (
    ItemDetailSerializer,
    ItemDraftSerializer,
    ItemSummarySerializer,
    NewItemSerializer,
    ThemeSerializer,
    VersionRefSerializer,
)
from tongban.catalog.models import ServiceItemVersion


def _int_param(request: Request, name: str) -> int | None:
    value = request.query_params.get(name, "")
    return int(value) if value.isdigit() else None


@extend_schema(
    parameters=[
        OpenApiParameter("q", str, description="检索词（中文分词）"),
        OpenApiParameter("department", int),
        OpenApiParameter("theme", int),
        OpenApiParameter("region", int),
        OpenApiParameter("audience", str, enum=["natural", "legal"]),
    ]
)
class ItemList(generics.ListAPIView):
    """Published service items; filter by department, theme, region or audience, or search with q."""

    permission_classes = [AllowAny]
    serializer_class = ItemSummarySerializer

    def get_queryset(self):
        query = self.request.query_params.get("q", "").strip()
        if query:
            return selectors.search_published(query).hits
        return selectors.published_versions_in(
            department_id=_int_param(self.request, "department"),
            theme_id=_int_param(self.request, "theme"),
            region_id=_int_param(self.request, "region"),
            audience=self.request.query_params.get("audience"),
        )


class ItemDetail(generics.RetrieveAPIView):
    """The guide of one published item, by implementation code."""

    permission_classes = [AllowAny]
    serializer_class = ItemDetailSerializer

    def get_object(self) -> ServiceItemVersion:
        version = selectors.guide_version(self.kwargs["code"])
        if version is None:
            raise Http404
        return version


class ThemeList(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = ThemeSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.themes_with_counts(self.request.query_params.get("audience"))


class IsCatalogEditor(BasePermission):
    """Logged-in staff holding the catalog-editor role in at least one department."""

    message = "您没有管理事项的权限。"

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and selectors.editable_department_ids(user.pk))


class StaffItemCreate(APIView):
    permission_classes = [IsCatalogEditor]

    @extend_schema(request=NewItemSerializer, responses={201: VersionRefSerializer})
    def post(self, request: Request) -> Response:
        serializer = NewItemSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        draft_serializer = ItemDraftSerializer(data=request.data["draft"])
        draft_serializer.is_valid(raise_exception=True)
        ref = services.create_item(
            department_id=serializer.validated_data["department_id"],
            basic_code=serializer.validated_data["basic_code"],
            implementation_code=serializer.validated_data["implementation_code"],
            draft=draft_serializer.to_draft(),
            actor_id=request.user.pk,
        )
        return Response(VersionRefSerializer(ref).data, status=status.HTTP_201_CREATED)


def _editable_version(request: Request, version_id: int) -> ServiceItemVersion:
    """A version of an item in one of the editor's departments; anything else is a 404 (T-B3)."""
    version = selectors.versions_for_editor(request.user.pk).filter(pk=version_id).first()
    if version is None:
        raise Http404
    return version


class StaffVersionDetail(APIView):
    permission_classes = [IsCatalogEditor]

    @extend_schema(responses=ItemDetailSerializer)
    def get(self, request: Request, version_id: int) -> Response:
        return Response(ItemDetailSerializer(_editable_version(request, version_id)).data)

    @extend_schema(request=ItemDraftSerializer, responses=VersionRefSerializer)
    def put(self, request: Request, version_id: int) -> Response:
        version = _editable_version(request, version_id)
        serializer = ItemDraftSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ref = services.save_draft(
            version_id=version.pk, draft=serializer.to_draft(), actor_id=request.user.pk
        )
        return Response(VersionRefSerializer(ref).data)


class StaffVersionPublish(APIView):
    permission_classes = [IsCatalogEditor]

    @extend_schema(request=None, responses=VersionRefSerializer)
    def post(self, request: Request, version_id: int) -> Response:
        version = _editable_version(request, version_id)
        ref = services.publish_version(version_id=version.pk, actor_id=request.user.pk)
        return Response(VersionRefSerializer(ref).data)


class StaffItemStartDraft(APIView):
    permission_classes = [IsCatalogEditor]

    @extend_schema(request=None, responses={201: VersionRefSerializer})
    def post(self, request: Request, item_id: int) -> Response:
        version = selectors.versions_for_editor(request.user.pk).filter(item_id=item_id).first()
        if version is None:
            raise Http404
        ref = services.start_draft(item_id=item_id, actor_id=request.user.pk)
        return Response(VersionRefSerializer(ref).data, status=status.HTTP_201_CREATED)
