from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tongban.core.errors import TongbanError
from tongban.ratings.forms import RatingForm
from tongban.ratings.services import RatingAnswers, rate_application


@require_http_methods(["GET", "POST"])
@login_required(login_url="accounts:login")
def rate(request: HttpRequest, application_id: int) -> HttpResponse:
    """好差评 of one finished application: five labelled levels per question (UX.md pattern 7)."""
    form = RatingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            rate_application(
                application_id=application_id,
                rater_id=request.user.pk,
                answers=RatingAnswers(**form.cleaned_data),
            )
        except TongbanError as exc:
            form.add_error("comment" if exc.code == "reason_required" else None, exc.message)
        else:
            messages.success(request, _("感谢您的评价。"))
            return redirect("applications:mine")
    return render(
        request,
        "ratings/rate.html",
        {"form": form, "application_id": application_id},
        status=400 if form.errors else 200,
    )
