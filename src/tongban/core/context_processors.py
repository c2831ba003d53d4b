from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {"city": settings.CITY, "elder_mode": getattr(request, "elder_mode", False)}
