"""Staff pages of 意见征集 and 在线访谈 (workbench): the publisher's list, drafting a consultation (text,
sections in order, files, period), publishing, answering comments, 采纳情况 and the result; interviews
with their questions, answers and transcript; the moderator's queue. A consultation, interview or
comment outside the viewer's departments is a 404, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongban.accounts.access import staff_only
from tongban.consultations import selectors
from tongban.consultations.errors import ConsultationError
from tongban.consultations.forms import (
    AdoptionForm,
    AnswerForm,
    ConsultationForm,
    InterviewForm,
    RejectForm,
    ResultForm,
    SectionForm,
    TranscriptForm,
)
from tongban.consultations.models import Consultation, ConsultationStatus, Interview, InterviewStatus, Phase
from tongban.consultations.services import comments as comment_services
from tongban.consultations.services import consultations as services
from tongban.consultations.services import interviews as interview_services
from tongban.core.audit import record_request
from tongban.core.errors import TongbanError
from tongban.organizations.selectors import departments_by_ids


def _user_id(request: HttpRequest) -> int:
    return cast(int, request.user.pk)


def _publisher(request: HttpRequest) -> set[int]:
    departments = selectors.publisher_department_ids(_user_id(request))
    if not departments:
        record_request(
            request, event="consultation.manage", object_type="url", object_id=request.path, denied=True
        )
        raise Http404
    return departments


def _consultation(request: HttpRequest, consultation_id: int) -> Consultation:
    consultation = selectors.get_consultation_for_publisher(_user_id(request), consultation_id)
    if consultation is None:
        record_request(
            request,
            event="consultation.manage",
            object_type="consultation",
            object_id=consultation_id,
            denied=True,
        )
        raise Http404
    return consultation


def _interview(request: HttpRequest, interview_id: int) -> Interview:
    interview = selectors.get_interview_for_publisher(_user_id(request), interview_id)
    if interview is None:
        record_request(
            request, event="interview.manage", object_type="interview", object_id=interview_id, denied=True
        )
        raise Http404
    return interview


def _departments(request: HttpRequest) -> list:
    return sorted(departments_by_ids(_publisher(request)).values(), key=lambda d: d.name)


@require_GET
@staff_only
def manage(request: HttpRequest) -> HttpResponse:
    """征集管理: my departments' consultations and interviews."""
    _publisher(request)
    user_id = _user_id(request)
    return render(
        request,
        "consultations/staff/manage.html",
        {
            "consultations": selectors.managed_consultations(user_id),
            "interviews": selectors.managed_interviews(user_id),
        },
    )


def _edit_page(
    request: HttpRequest,
    form: ConsultationForm,
    consultation: Consultation | None,
    status: int = 200,
    section_form: SectionForm | None = None,
) -> HttpResponse:
    return render(
        request,
        "consultations/staff/edit.html",
        {
            "form": form,
            "consultation": consultation,
            "sections": selectors.sections_of(consultation.pk) if consultation else [],
            "attachments": selectors.attachments_of(consultation.pk) if consultation else [],
            "section_form": section_form or SectionForm(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@staff_only
def new(request: HttpRequest) -> HttpResponse:
    """新建意见征集: title, summary, department and period, saved as a draft (sections come next)."""
    departments = _departments(request)
    if request.method == "GET":
        return _edit_page(request, ConsultationForm(departments=departments), None)
    form = ConsultationForm(request.POST, departments=departments)
    form.is_valid()
    if not form.errors:
        try:
            consultation_id = services.create_consultation(
                actor_id=_user_id(request),
                draft=form.draft(),
                idempotency_key=form.cleaned_data.get("idempotency_key") or "",
            )
        except TongbanError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("草稿已保存。请添加征求意见稿的章节。"))
            return redirect("consultations:staff_edit", consultation_id)
    return _edit_page(request, form, None, status=400)


def _initial(consultation: Consultation) -> dict[str, object]:
    return {
        "title": consultation.title,
        "summary": consultation.summary,
        "department": str(consultation.department_id),
        "opens_on": timezone.localtime(consultation.opens_at).date(),
        "closes_on": timezone.localtime(consultation.closes_at).date() - dt.timedelta(days=1),
        "requires_premoderation": consultation.requires_premoderation,
        "idempotency_key": consultation.idempotency_key,
    }


@require_http_methods(["GET", "POST"])
@staff_only
def edit(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """A draft (text, sections, files, publish); once published, its comments (answers) page."""
    consultation = _consultation(request, consultation_id)
    if consultation.status != ConsultationStatus.DRAFT:
        return redirect("consultations:staff_comments", consultation.pk)
    departments = _departments(request)
    if request.method == "GET":
        initial = _initial(consultation)
        return _edit_page(request, ConsultationForm(departments=departments, initial=initial), consultation)
    form = ConsultationForm(request.POST, departments=departments)
    form.is_valid()
    if not form.errors:
        try:
            services.update_consultation(
                actor_id=_user_id(request), consultation_id=consultation.pk, draft=form.draft()
            )
        except TongbanError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("草稿已保存。"))
            return redirect("consultations:staff_edit", consultation.pk)
    return _edit_page(request, form, consultation, status=400)


@require_POST
@staff_only
def add_section(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = _consultation(request, consultation_id)
    section_form = SectionForm(request.POST)
    section_form.is_valid()
    try:
        services.add_section(
            actor_id=_user_id(request),
            consultation_id=consultation.pk,
            heading=section_form.cleaned_data.get("heading") or "",
            text=section_form.cleaned_data.get("text") or "",
        )
    except TongbanError as error:
        section_form.add_service_error(error)
        form = ConsultationForm(departments=_departments(request), initial=_initial(consultation))
        return _edit_page(request, form, consultation, status=error.status, section_form=section_form)
    messages.success(request, _("章节已添加。"))
    return redirect("consultations:staff_edit", consultation.pk)


@require_http_methods(["GET", "POST"])
@staff_only
def edit_section(request: HttpRequest, consultation_id: int, section_id: int) -> HttpResponse:
    consultation = _consultation(request, consultation_id)
    section = next((s for s in selectors.sections_of(consultation.pk) if s.pk == section_id), None)
    if section is None:
        raise Http404
    form = SectionForm(
        request.POST if request.method == "POST" else None,
        initial={"heading": section.heading, "text": section.text},
    )
    status = 200
    if request.method == "POST":
        form.is_valid()
        try:
            services.update_section(
                actor_id=_user_id(request),
                consultation_id=consultation.pk,
                section_id=section.pk,
                heading=form.cleaned_data.get("heading") or "",
                text=form.cleaned_data.get("text") or "",
            )
        except TongbanError as error:
            form.add_service_error(error)
            status = error.status
        else:
            messages.success(request, _("章节已保存。"))
            return redirect("consultations:staff_edit", consultation.pk)
    return render(
        request,
        "consultations/staff/section.html",
        {"consultation": consultation, "section": section, "form": form},
        status=status,
    )


def _act(
    request: HttpRequest, action: Callable[[], object], success: str, target: str, *args: object
) -> HttpResponse:
    try:
        action()
    except TongbanError as error:
        messages.error(request, error.message)
    else:
        if success:
            messages.success(request, success)
    return redirect(target, *args)


@require_POST
@staff_only
def move_section(request: HttpRequest, consultation_id: int, section_id: int) -> HttpResponse:
    consultation = _consultation(request, consultation_id)
    up = request.POST.get("direction") == "up"
    return _act(
        request,
        lambda: services.move_section(
            actor_id=_user_id(request), consultation_id=consultation.pk, section_id=section_id, up=up
        ),
        "",
        "consultations:staff_edit",
        consultation.pk,
    )


@require_POST
@staff_only
def remove_section(request: HttpRequest, consultation_id: int, section_id: int) -> HttpResponse:
    consultation = _consultation(request, consultation_id)
    return _act(
        request,
        lambda: services.remove_section(
            actor_id=_user_id(request), consultation_id=consultation.pk, section_id=section_id
        ),
        _("章节已删除。"),
        "consultations:staff_edit",
        consultation.pk,
    )


@require_POST
@staff_only
def add_attachment(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = _consultation(request, consultation_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要上传的文件"))
        return redirect("consultations:staff_edit", consultation.pk)
    return _act(
        request,
        lambda: services.add_attachment(
            actor_id=_user_id(request), consultation_id=consultation.pk, name=upload.name or "", data=upload
        ),
        _("附件已上传。"),
        "consultations:staff_edit",
        consultation.pk,
    )


@require_POST
@staff_only
def remove_attachment(request: HttpRequest, consultation_id: int, attachment_id: int) -> HttpResponse:
    consultation = _consultation(request, consultation_id)
    return _act(
        request,
        lambda: services.remove_attachment(
            actor_id=_user_id(request), consultation_id=consultation.pk, attachment_id=attachment_id
        ),
        _("附件已删除。"),
        "consultations:staff_edit",
        consultation.pk,
    )


@require_POST
@staff_only
def publish(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = _consultation(request, consultation_id)
    try:
        services.publish_consultation(actor_id=_user_id(request), consultation_id=consultation.pk)
    except TongbanError as error:
        messages.error(request, error.message)
        return redirect("consultations:staff_edit", consultation.pk)
    messages.success(request, _("意见征集已发布。"))
    return redirect("consultations:staff_comments", consultation.pk)


@require_POST
@staff_only
def close(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = _consultation(request, consultation_id)
    return _act(
        request,
        lambda: services.close_consultation(actor_id=_user_id(request), consultation_id=consultation.pk),
        _("意见征集已结束。"),
        "consultations:staff_comments",
        consultation.pk,
    )


@require_GET
@staff_only
def comments(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """留言和答复: every comment of a published consultation (held ones marked), with an answer form."""
    consultation = _consultation(request, consultation_id)
    if consultation.status == ConsultationStatus.DRAFT:
        return redirect("consultations:staff_edit", consultation.pk)
    return render(
        request,
        "consultations/staff/comments.html",
        {
            "consultation": consultation,
            "comments": selectors.comments_for_publisher(consultation.pk),
            "counts": selectors.result_counts(consultation.pk),
        },
    )


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@require_POST
@staff_only
def answer(request: HttpRequest, comment_id: int) -> HttpResponse:
    """答复 a public comment or question (the department's 征集发布)."""
    _publisher(request)
    form = AnswerForm(request.POST)
    form.is_valid()
    try:
        comment_services.answer_comment(
            actor_id=_user_id(request), comment_id=comment_id, answer=form.cleaned_data.get("answer") or ""
        )
    except ConsultationError as error:
        if error.code == "not_found":
            record_request(
                request, event="consultation.answer", object_type="comment", object_id=comment_id, denied=True
            )
            raise Http404 from error
        messages.error(request, error.message)
    else:
        messages.success(request, _("答复已发布。"))
    return redirect(_back(request, reverse("consultations:manage")) + f"#comment-{comment_id}")


@require_http_methods(["GET", "POST"])
@staff_only
def result(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """采纳情况: mark each comment, then publish the summary (after the period)."""
    consultation = _consultation(request, consultation_id)
    form = ResultForm(
        request.POST if request.method == "POST" else None, initial={"summary": consultation.result_summary}
    )
    status = 200
    if request.method == "POST":
        form.is_valid()
        try:
            services.publish_result(
                actor_id=_user_id(request),
                consultation_id=consultation.pk,
                summary=form.cleaned_data.get("summary") or "",
            )
        except TongbanError as error:
            form.add_service_error(error)
            status = error.status
        else:
            messages.success(request, _("采纳情况已公布。"))
            return redirect("consultations:result", consultation.pk)
    return render(
        request,
        "consultations/staff/result.html",
        {
            "consultation": consultation,
            "is_closed": consultation.phase == Phase.CLOSED,
            "comments": [
                c for c in selectors.comments_for_publisher(consultation.pk) if c.status == "published"
            ],
            "counts": selectors.result_counts(consultation.pk),
            "form": form,
            "adoption_choices": AdoptionForm.base_fields["adoption"].choices,
        },
        status=status,
    )


@require_POST
@staff_only
def adoption(request: HttpRequest, consultation_id: int, comment_id: int) -> HttpResponse:
    consultation = _consultation(request, consultation_id)
    form = AdoptionForm(request.POST)
    form.is_valid()
    try:
        comment_services.record_adoption(
            actor_id=_user_id(request),
            comment_id=comment_id,
            adoption=form.cleaned_data.get("adoption") or "",
            reason=form.cleaned_data.get("reason") or "",
        )
    except TongbanError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("采纳情况已保存。"))
    return redirect(reverse("consultations:staff_result", args=[consultation.pk]) + f"#comment-{comment_id}")


# --- moderation ------------------------------------------------------------------------------------


@require_GET
@staff_only
def moderation(request: HttpRequest) -> HttpResponse:
    """留言审核: held comments and questions, oldest first, each with why it was held."""
    if not selectors.is_moderator(_user_id(request)):
        record_request(
            request, event="consultation.moderate", object_type="url", object_id=request.path, denied=True
        )
        raise Http404
    held, recent = selectors.moderation_page(_user_id(request))
    return render(request, "consultations/staff/moderation.html", {"comments": held, "recent": recent})


def _moderate(
    request: HttpRequest, comment_id: int, action: Callable[[], None], success: str
) -> HttpResponse:
    """Run a moderation service; a comment outside the moderator's departments is a 404, audited."""
    if not selectors.is_moderator(_user_id(request)):
        record_request(
            request, event="consultation.moderate", object_type="url", object_id=request.path, denied=True
        )
        raise Http404
    try:
        action()
    except ConsultationError as error:
        if error.code == "not_found":
            record_request(
                request,
                event="consultation.moderate",
                object_type="comment",
                object_id=comment_id,
                denied=True,
            )
            raise Http404 from error
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("consultations:moderation")


@require_POST
@staff_only
def approve(request: HttpRequest, comment_id: int) -> HttpResponse:
    return _moderate(
        request,
        comment_id,
        lambda: comment_services.approve_comment(actor_id=_user_id(request), comment_id=comment_id),
        _("留言已公开。"),
    )


@require_POST
@staff_only
def reject(request: HttpRequest, comment_id: int) -> HttpResponse:
    form = RejectForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("reason") or ""
    return _moderate(
        request,
        comment_id,
        lambda: comment_services.reject_comment(
            actor_id=_user_id(request), comment_id=comment_id, reason=reason
        ),
        _("留言已不予公开，留言人会看到原因。"),
    )


# --- interviews ------------------------------------------------------------------------------------


def _interview_page(
    request: HttpRequest, form: InterviewForm, interview: Interview | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "consultations/staff/interview.html",
        {
            "form": form,
            "interview": interview,
            "questions": selectors.questions_for_publisher(interview.pk) if interview else [],
            "transcript_form": TranscriptForm(initial={"transcript": interview.transcript})
            if interview
            else None,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@staff_only
def new_interview(request: HttpRequest) -> HttpResponse:
    departments = _departments(request)
    if request.method == "GET":
        return _interview_page(request, InterviewForm(departments=departments), None)
    form = InterviewForm(request.POST, departments=departments)
    form.is_valid()
    if not form.errors:
        try:
            interview_id = interview_services.create_interview(
                actor_id=_user_id(request),
                draft=form.draft(),
                idempotency_key=form.cleaned_data.get("idempotency_key") or "",
            )
        except TongbanError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("访谈草稿已保存。"))
            return redirect("consultations:staff_interview", interview_id)
    return _interview_page(request, form, None, status=400)


@require_http_methods(["GET", "POST"])
@staff_only
def interview(request: HttpRequest, interview_id: int) -> HttpResponse:
    """A draft interview (edit, publish); once published its questions with answers and the transcript."""
    found = _interview(request, interview_id)
    departments = _departments(request)
    if request.method == "GET" or found.status != InterviewStatus.DRAFT:
        starts = timezone.localtime(found.starts_at)
        initial = {
            "title": found.title,
            "guests": found.guests,
            "description": found.description,
            "department": str(found.department_id),
            "starts_on": starts.date(),
            "starts_time": starts.strftime("%H:%M"),
            "ends_time": timezone.localtime(found.ends_at).strftime("%H:%M"),
            "requires_premoderation": found.requires_premoderation,
        }
        return _interview_page(request, InterviewForm(departments=departments, initial=initial), found)
    form = InterviewForm(request.POST, departments=departments)
    form.is_valid()
    if not form.errors:
        try:
            interview_services.update_interview(
                actor_id=_user_id(request), interview_id=found.pk, draft=form.draft()
            )
        except TongbanError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("访谈草稿已保存。"))
            return redirect("consultations:staff_interview", found.pk)
    return _interview_page(request, form, found, status=400)


@require_POST
@staff_only
def publish_interview(request: HttpRequest, interview_id: int) -> HttpResponse:
    found = _interview(request, interview_id)
    return _act(
        request,
        lambda: interview_services.publish_interview(actor_id=_user_id(request), interview_id=found.pk),
        _("访谈已发布，公众可以提问。"),
        "consultations:staff_interview",
        found.pk,
    )


@require_POST
@staff_only
def transcript(request: HttpRequest, interview_id: int) -> HttpResponse:
    found = _interview(request, interview_id)
    form = TranscriptForm(request.POST)
    form.is_valid()
    return _act(
        request,
        lambda: interview_services.publish_transcript(
            actor_id=_user_id(request),
            interview_id=found.pk,
            transcript=form.cleaned_data.get("transcript") or "",
        ),
        _("访谈实录已发布。"),
        "consultations:staff_interview",
        found.pk,
    )
