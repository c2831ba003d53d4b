"""Two views, as small as a Django view gets while still touching the database once."""

import uuid

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from ceiling.models import Row


@csrf_exempt
@require_POST
def insert(request: HttpRequest) -> HttpResponse:
    row = Row.objects.create(key=uuid.uuid4().hex, value=request.POST.get("value", "")[:200])
    return JsonResponse({"id": row.pk, "key": row.key}, status=201)


@require_GET
def read(request: HttpRequest, key: str) -> HttpResponse:
    row = get_object_or_404(Row, key=key)
    return JsonResponse({"id": row.pk, "key": row.key, "value": row.value})
