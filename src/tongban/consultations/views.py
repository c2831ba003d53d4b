"""Public pages of 互动交流: the landing, 意见征集 (list, a consultation with its sections, published
comments and answers, the comment forms, the result), 在线访谈 (list, page, questions) and 我的留言.
Commenting needs a portal account (citizen or enterprise); staff accounts read only."""

from __future__ import annotations

import uuid
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tongban.consultations import selectors
from tongban.consultations.errors import ConsultationError
from tongban.consultations.forms import CommentForm
from tongban.consultations.models import CommentStatus, Consultation, Interview, Phase
from tongban.consultations.services import comments as comment_services
from tongban.organizations.forms import parse_id

portal_only = login_required(login_url="accounts:login")
WHOLE = "whole"


def _new_key() -> str:
    return uuid.uuid4().hex


def _may_comment(request: HttpRequest) -> bool:
    return request.user.is_authenticated and getattr(request.user, "kind", "") != "staff"


@require_GET
def interact(request: HttpRequest) -> HttpResponse:
    """互动交流: consultations open now and interviews to come, with links to the rest."""
    upcoming, past = selectors.public_interviews()
    return render(
        request,
        "consultations/interact.html",
        {
            "open": selectors.public_consultations(selectors.OPEN),
            "results": selectors.public_consultations(selectors.RESULTS)[:5],
            "upcoming": upcoming,
            "past": past[:5],
        },
    )


@require_GET
def consultation_list(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab", selectors.OPEN)
    if tab not in selectors.TABS:
        tab = selectors.OPEN
    return render(
        request,
        "consultations/list.html",
        {
            "tab": tab,
            "tabs": [
                (selectors.OPEN, _("正在征集")),
                (selectors.CLOSED, _("已结束")),
                (selectors.RESULTS, _("采纳情况")),
            ],
            "consultations": selectors.public_consultations(tab),
        },
    )


def _public(consultation_id: int) -> Consultation:
    consultation = selectors.get_public_consultation(consultation_id)
    if consultation is None:
        raise Http404
    return consultation


def _detail(
    request: HttpRequest, consultation: Consultation, form: CommentForm | None = None, status: int = 200
) -> HttpResponse:
    comments = selectors.published_comments_by_section(consultation.pk)
    sections = selectors.sections_of(consultation.pk)
    return render(
        request,
        "consultations/detail.html",
        {
            "consultation": consultation,
            "is_open": consultation.phase == Phase.OPEN,
            "may_comment": _may_comment(request),
            "sections": [(section, comments.get(section.pk, [])) for section in sections],
            "whole": comments.get(None, []),
            "attachments": selectors.attachments_of(consultation.pk),
            "form": form,
            "error_target": (form.data.get("section") or WHOLE) if form is not None else "",
            "new_key": _new_key,
        },
        status=status,
    )


@require_GET
def consultation_detail(request: HttpRequest, consultation_id: int) -> HttpResponse:
    return _detail(request, _public(consultation_id))


@require_POST
def comment(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """A comment on a section (``section``) or on the whole draft."""
    consultation = _public(consultation_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.path.replace("comment/", ""), login_url="accounts:login")
    if not _may_comment(request):
        raise Http404
    form = CommentForm(request.POST)
    form.is_valid()
    section = form.cleaned_data.get("section") or WHOLE
    section_id = None if section == WHOLE else parse_id(section)
    if section != WHOLE and section_id is None:
        raise Http404
    try:
        comment_id = comment_services.submit_comment(
            author_id=cast(int, request.user.pk),
            consultation_id=consultation.pk,
            section_id=section_id,
            body=form.cleaned_data.get("body") or "",
            idempotency_key=form.cleaned_data.get("idempotency_key") or "",
        )
    except ConsultationError as error:
        form.add_error("body", error.message)
        return _detail(request, consultation, form, status=error.status)
    return _after_submit(request, comment_id, reverse("consultations:detail", args=[consultation.pk]))


def _after_submit(request: HttpRequest, comment_id: int, url: str) -> HttpResponse:
    if selectors.comment_status(comment_id) == CommentStatus.HELD:
        messages.info(request, _("留言已提交，经审核后公开。您可以在“我的留言”中查看审核结果。"))
        return redirect(url)
    messages.success(request, _("留言已公开。部门答复后，您会在“我的留言”中看到。"))
    return redirect(f"{url}#comment-{comment_id}")


@require_GET
def result(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = _public(consultation_id)
    if consultation.phase != Phase.RESULT:
        raise Http404
    comments = selectors.published_comments_by_section(consultation.pk)
    return render(
        request,
        "consultations/result.html",
        {
            "consultation": consultation,
            "counts": selectors.result_counts(consultation.pk),
            "sections": [(s, comments.get(s.pk, [])) for s in selectors.sections_of(consultation.pk)],
            "whole": comments.get(None, []),
        },
    )


@require_GET
def attachment(request: HttpRequest, consultation_id: int, attachment_id: int) -> FileResponse:
    consultation = _public(consultation_id)
    found = selectors.attachment_of(consultation.pk, attachment_id)
    if found is None:
        raise Http404
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.original_name)


@require_GET
@portal_only
def mine(request: HttpRequest) -> HttpResponse:
    """我的留言: each comment and question with its status, the reason of a refusal, the answer."""
    return render(
        request, "consultations/mine.html", {"comments": selectors.comments_of(cast(int, request.user.pk))}
    )


@require_GET
def interview_list(request: HttpRequest) -> HttpResponse:
    upcoming, past = selectors.public_interviews()
    return render(request, "consultations/interviews.html", {"upcoming": upcoming, "past": past})


def _interview(interview_id: int) -> Interview:
    interview = selectors.get_public_interview(interview_id)
    if interview is None:
        raise Http404
    return interview


def _interview_page(
    request: HttpRequest, interview: Interview, form: CommentForm | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "consultations/interview.html",
        {
            "interview": interview,
            "questions": selectors.published_questions(interview.pk),
            "may_comment": _may_comment(request),
            "form": form,
            "new_key": _new_key,
        },
        status=status,
    )


@require_GET
def interview_detail(request: HttpRequest, interview_id: int) -> HttpResponse:
    return _interview_page(request, _interview(interview_id))


@require_POST
def ask(request: HttpRequest, interview_id: int) -> HttpResponse:
    interview = _interview(interview_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.path.replace("ask/", ""), login_url="accounts:login")
    if not _may_comment(request):
        raise Http404
    form = CommentForm(request.POST)
    form.is_valid()
    try:
        comment_id = comment_services.submit_question(
            author_id=cast(int, request.user.pk),
            interview_id=interview.pk,
            body=form.cleaned_data.get("body") or "",
            idempotency_key=form.cleaned_data.get("idempotency_key") or "",
        )
    except ConsultationError as error:
        form.add_error("body", error.message)
        return _interview_page(request, interview, form, status=error.status)
    return _after_submit(request, comment_id, reverse("consultations:interview", args=[interview.pk]))
