from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from tongban.notifications import selectors, services


@require_GET
@login_required(login_url="accounts:login")
def inbox(request: HttpRequest) -> HttpResponse:
    return render(
        request, "notifications/inbox.html", {"notifications": selectors.inbox(request.user.pk)[:100]}
    )


@require_POST
@login_required(login_url="accounts:login")
def mark_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    services.mark_read(user_id=request.user.pk, notification_id=notification_id)
    return redirect("notifications:inbox")
