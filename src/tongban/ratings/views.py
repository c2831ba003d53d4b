from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tongban.applications.selectors import application_ref
from tongban.core.audit import record_request
from tongban.core.errors import TongbanError
from tongban.ratings import selectors
from tongban.ratings.forms import RatingForm
from tongban.ratings.services import RatingAnswers, rate_application


@require_http_methods(["GET", "POST"])
@login_required(login_url="accounts:login")
def rate(request: HttpRequest, application_id: int) -> HttpResponse:
    """好差评 of one finished application: five labelled levels per question (UX.md pattern 7).

    Someone else's application and an unknown one are both a 404 (T-B1); a rated or unfinished one
    sends the applicant to its page, where the rating and its outcome are shown."""
    application = application_ref(application_id)
    if application is None or application.applicant_id != request.user.pk:
        record_request(
            request, event="rating.open", object_type="application", object_id=application_id, denied=True
        )
        raise Http404
    if selectors.has_rated(application.id):
        messages.info(request, _("您已评价过该办件。"))
        return redirect("applications:detail", application_id=application.id)
    if not application.is_finished:
        messages.info(request, _("办件办结后才能评价。"))
        return redirect("applications:detail", application_id=application.id)
    form = RatingForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                rate_application(
                    application_id=application.id,
                    rater_id=request.user.pk,
                    answers=RatingAnswers(**form.cleaned_data),
                )
            except TongbanError as exc:
                form.add_error("comment" if exc.code == "reason_required" else None, exc.message)
                status = exc.status
            else:
                messages.success(request, _("感谢您的评价。"))
                return redirect("applications:detail", application_id=application.id)
    return render(
        request, "ratings/rate.html", {"form": form, "application_id": application.id}, status=status
    )
