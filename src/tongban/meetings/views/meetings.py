"""会议: the list, 预订 (a new meeting), one meeting's page and what its people do there: 邀请, 发送会议
通知, 回复, 确定参会人员, 催报, 决定事项, 起草纪要, 取消."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongban.accounts.access import staff_only
from tongban.accounts.selectors import names_of
from tongban.meetings import access, selectors
from tongban.meetings.errors import MeetingError
from tongban.meetings.forms import (
    CancelForm,
    DecisionForm,
    InviteForm,
    MeetingForm,
    NameAttendeesForm,
    ReplyForm,
)
from tongban.meetings.models import Meeting, MeetingStatus, Reply
from tongban.meetings.services import booking, minutes, replies, signin
from tongban.meetings.tracking_source import MEETING_DECISION
from tongban.meetings.views.common import visible_meeting
from tongban.organizations.selectors import active_departments_by_region, departments_by_ids, roles_of
from tongban.tracking.selectors import items_from_sources


@require_GET
@staff_only
def meeting_list(request: HttpRequest) -> HttpResponse:
    """会议: the coming meetings the user sees (or the past ones, ``?past=1``)."""
    past = request.GET.get("past") == "1"
    rows = selectors.meetings_for(request.user.pk, upcoming=not past)
    return render(request, "meetings/list.html", {"rows": rows, "past": past})


def _departments_of(user_id: int) -> list[tuple[int, str]]:
    found = departments_by_ids({d for d, _r in roles_of(user_id=user_id)})
    return sorted(((d.id, d.name) for d in found.values()), key=lambda p: p[1])


def _room_choices() -> list[tuple[int, str]]:
    return [
        (
            r.pk,
            _("%(name)s（%(location)s，%(n)d人）")
            % {"name": r.name, "location": r.location, "n": r.capacity},
        )
        for r in selectors.active_rooms()
    ]


@require_http_methods(["GET", "POST"])
@staff_only
def new_meeting(request: HttpRequest) -> HttpResponse:
    """预订会议室: the meeting, its day and time, a room (or another place) and how many attend."""
    departments, rooms = _departments_of(request.user.pk), _room_choices()
    initial = {"room": request.GET.get("room", "")}
    form = MeetingForm(request.POST or None, departments=departments, rooms=rooms, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                meeting_id = booking.book_meeting(
                    user_id=request.user.pk,
                    plan=form.plan(),
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
            except MeetingError as exc:
                form.add_service_error(exc.field, exc.message)
                status = exc.status
            else:
                messages.success(request, _("会议已创建，请添加参会人员并发送会议通知。"))
                return redirect("meetings:meeting", meeting_id=meeting_id)
        else:
            status = 400
    return render(request, "meetings/new.html", {"form": form, "errors": form.error_links()}, status=status)


def _invite_form(meeting: Meeting, data: Any = None) -> InviteForm:
    invited = set(meeting.invitations.values_list("user_id", flat=True))
    people = selectors.colleagues(meeting.department_id, excluding=invited - {None})  # type: ignore[arg-type]
    departments = [
        (d.id, d.name)
        for group in active_departments_by_region()
        for d in group.departments
        if d.id != meeting.department_id
    ]
    return InviteForm(data, people=people, departments=departments, prefix="invite")


def _reply_form(meeting: Meeting, invitation: Any, data: Any = None) -> ReplyForm:
    invited = set(meeting.invitations.exclude(user_id=None).values_list("user_id", flat=True))
    colleagues = selectors.colleagues(invitation.department_id, excluding=invited)
    initial = (
        {"answer": invitation.reply, "reason": invitation.reason} if invitation.reply != Reply.PENDING else {}
    )
    return ReplyForm(data, colleagues=colleagues, initial=initial, prefix="reply")


def _name_forms(
    meeting: Meeting, standing: access.Standing, posted: tuple[int, Any] | None
) -> list[tuple[Any, Any, str]]:
    invited = set(meeting.invitations.exclude(user_id=None).values_list("user_id", flat=True))
    found = []
    names = departments_by_ids({i.department_id for i in selectors.departments_to_name(meeting, standing)})
    for invitation in selectors.departments_to_name(meeting, standing):
        data = posted[1] if posted and posted[0] == invitation.pk else None
        people = selectors.colleagues(invitation.department_id, excluding=invited)
        form = NameAttendeesForm(data, people=people, prefix=f"name{invitation.pk}")
        if data is not None:
            form.is_valid()
        found.append((invitation, form, names[invitation.department_id].name))
    return found


def _decision_form(data: Any = None) -> DecisionForm:
    departments = [(d.id, d.name) for group in active_departments_by_region() for d in group.departments]
    return DecisionForm(data, departments=departments, prefix="decision")


def _context(request: HttpRequest, meeting: Meeting, **overrides: Any) -> dict[str, Any]:
    standing = access.standing_of(request.user.pk)
    manages = access.may_manage(standing, meeting)
    invitation = selectors.my_invitation(meeting, request.user.pk)
    now = timezone.now()
    decisions = list(meeting.decisions.all())
    lead = departments_by_ids({d.lead_department_id for d in decisions} | {meeting.department_id})
    tracked = items_from_sources(MEETING_DECISION, [str(d.pk) for d in decisions]) if decisions else {}
    context: dict[str, Any] = {
        "meeting": meeting,
        "department": lead[meeting.department_id].name,
        "manages": manages,
        "live": meeting.status != MeetingStatus.CANCELLED and meeting.ends_at > now,
        "started": meeting.starts_at <= now,
        "invitation": invitation,
        "reply_form": None,
        "name_forms": _name_forms(meeting, standing, overrides.pop("posted_names", None))
        if meeting.status == MeetingStatus.NOTIFIED and meeting.ends_at > now
        else [],
        "decisions": [(d, lead[d.lead_department_id].name, tracked.get(str(d.pk))) for d in decisions],
        "errors": [],
        "sign_in_open": signin.is_open(meeting, now),
    }
    if (
        invitation is not None
        and invitation.reply != Reply.DELEGATED
        and meeting.status == MeetingStatus.NOTIFIED
    ):
        context["reply_form"] = _reply_form(meeting, invitation)
    if invitation is not None and invitation.delegate_id:
        context["delegate_name"] = names_of({invitation.delegate_id}).get(invitation.delegate_id, "")
    if manages:
        context["board"] = selectors.reply_board(meeting)
        context["invite_form"] = _invite_form(meeting)
        context["decision_form"] = _decision_form()
        context["cancel_form"] = CancelForm(prefix="cancel")
    context.update(overrides)
    for name in ("reply_form", "invite_form", "decision_form", "cancel_form"):
        form = context.get(name)
        if form is not None and form.is_bound:
            context["errors"] = context["errors"] + form.error_links()
    for _invitation, form, _name in context["name_forms"]:
        if form.is_bound:
            context["errors"] = context["errors"] + form.error_links()
    return context


@require_GET
@staff_only
def meeting_page(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = visible_meeting(request, meeting_id)
    return render(request, "meetings/meeting.html", _context(request, meeting))


def _refused(request: HttpRequest, meeting: Meeting, exc: MeetingError, **forms: Any) -> HttpResponse:
    """The meeting page again, the refusal in the error summary (beside its field when a form shows)."""
    if exc.status == 404:
        raise Http404
    bound = [f for f in forms.values() if hasattr(f, "add_service_error")]
    if bound:
        bound[0].add_service_error(exc.field, exc.message)
    context = _context(request, meeting, **forms)
    if not bound:
        context["errors"] = context["errors"] + [(exc.field or "main", exc.message)]
    return render(request, "meetings/meeting.html", context, status=exc.status)


def _done(meeting: Meeting, anchor: str = "") -> HttpResponse:
    return redirect(reverse("meetings:meeting", args=[meeting.pk]) + (f"#{anchor}" if anchor else ""))


@require_POST
@staff_only
def invite(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = visible_meeting(request, meeting_id)
    form = _invite_form(meeting, request.POST)
    if not form.is_valid():
        return render(
            request, "meetings/meeting.html", _context(request, meeting, invite_form=form), status=400
        )
    try:
        added = booking.invite(
            meeting_id=meeting.pk,
            user_id=request.user.pk,
            people=form.cleaned_data["people"],
            departments=form.cleaned_data["departments"],
        )
    except MeetingError as exc:
        return _refused(request, meeting, exc, invite_form=form)
    messages.success(request, _("已添加%(n)d个参会人员或部门") % {"n": added})
    return _done(meeting, "people-heading")


@require_POST
@staff_only
def uninvite(request: HttpRequest, meeting_id: int, invitation_id: int) -> HttpResponse:
    meeting = visible_meeting(request, meeting_id)
    try:
        booking.uninvite(meeting_id=meeting.pk, user_id=request.user.pk, invitation_id=invitation_id)
    except MeetingError as exc:
        return _refused(request, meeting, exc)
    messages.success(request, _("已移除"))
    return _done(meeting, "board-heading")


@require_POST
@staff_only
def send_notice(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = visible_meeting(request, meeting_id)
    try:
        told = booking.send_notice(meeting_id=meeting.pk, user_id=request.user.pk)
    except MeetingError as exc:
        return _refused(request, meeting, exc)
    messages.success(request, _("会议通知已发送，已通知%(n)d人") % {"n": told})
    return _done(meeting)


@require_POST
@staff_only
def remind(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = visible_meeting(request, meeting_id)
    try:
        told = booking.remind_unanswered(meeting_id=meeting.pk, user_id=request.user.pk)
    except MeetingError as exc:
        return _refused(request, meeting, exc)
    messages.success(request, _("已催报，已提醒%(n)d人") % {"n": told})
    return _done(meeting, "board-heading")


@require_POST
@staff_only
def reply(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """回复 the user's own invitation: 参加, 请假 (事由), 指派他人 (a colleague)."""
    meeting = visible_meeting(request, meeting_id)
    invitation = selectors.my_invitation(meeting, request.user.pk)
    if invitation is None:
        raise Http404
    form = _reply_form(meeting, invitation, request.POST)
    if not form.is_valid():
        return render(
            request, "meetings/meeting.html", _context(request, meeting, reply_form=form), status=400
        )
    try:
        replies.reply(
            invitation_id=invitation.pk,
            user_id=request.user.pk,
            answer=form.cleaned_data["answer"],
            reason=form.cleaned_data["reason"],
            delegate_id=form.cleaned_data["delegate"],
        )
    except MeetingError as exc:
        return _refused(request, meeting, exc, reply_form=form)
    messages.success(request, _("已回复：%(answer)s") % {"answer": Reply(form.cleaned_data["answer"]).label})
    return _done(meeting)


@require_POST
@staff_only
def name_attendees(request: HttpRequest, meeting_id: int, invitation_id: int) -> HttpResponse:
    """确定参会人员 for an invited department the user acts for."""
    meeting = visible_meeting(request, meeting_id)
    standing = access.standing_of(request.user.pk)
    forms = {i.pk: f for i, f, _n in _name_forms(meeting, standing, (invitation_id, request.POST))}
    form = forms.get(invitation_id)
    if form is None:
        raise Http404
    if not form.is_valid():
        context = _context(request, meeting, posted_names=(invitation_id, request.POST))
        return render(request, "meetings/meeting.html", context, status=400)
    try:
        added = replies.name_attendees(
            invitation_id=invitation_id, user_id=request.user.pk, people=form.cleaned_data["people"]
        )
    except MeetingError as exc:
        if exc.status == 404:
            raise Http404 from exc
        context = _context(request, meeting)
        context["errors"] = [(f"id_name{invitation_id}-people_0", exc.message)]
        return render(request, "meetings/meeting.html", context, status=exc.status)
    messages.success(request, _("已确定%(n)d名参会人员，系统已通知本人") % {"n": added})
    return _done(meeting)


@require_POST
@staff_only
def add_decision(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = visible_meeting(request, meeting_id)
    form = _decision_form(request.POST)
    if not form.is_valid():
        return render(
            request, "meetings/meeting.html", _context(request, meeting, decision_form=form), status=400
        )
    try:
        minutes.add_decision(
            meeting_id=meeting.pk,
            user_id=request.user.pk,
            text=form.cleaned_data["text"],
            lead_department_id=form.cleaned_data["lead_department"],
            working_days=form.cleaned_data["working_days"],
        )
    except MeetingError as exc:
        return _refused(request, meeting, exc, decision_form=form)
    messages.success(request, _("已记录决定事项"))
    return _done(meeting, "decisions-heading")


@require_POST
@staff_only
def remove_decision(request: HttpRequest, meeting_id: int, decision_id: int) -> HttpResponse:
    meeting = visible_meeting(request, meeting_id)
    try:
        minutes.remove_decision(meeting_id=meeting.pk, user_id=request.user.pk, decision_id=decision_id)
    except MeetingError as exc:
        return _refused(request, meeting, exc)
    messages.success(request, _("已删除决定事项"))
    return _done(meeting, "decisions-heading")


@require_POST
@staff_only
def draft_minutes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """起草纪要: a 公文 draft of 文种 纪要, then its page in 发文."""
    meeting = visible_meeting(request, meeting_id)
    try:
        document_id = minutes.draft_minutes(meeting_id=meeting.pk, user_id=request.user.pk)
    except MeetingError as exc:
        return _refused(request, meeting, exc)
    messages.success(request, _("已起草会议纪要，请完善正文后送核稿"))
    return redirect("documents:document", document_id=document_id)


@require_POST
@staff_only
def cancel(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = visible_meeting(request, meeting_id)
    form = CancelForm(request.POST, prefix="cancel")
    if not form.is_valid():
        return render(
            request, "meetings/meeting.html", _context(request, meeting, cancel_form=form), status=400
        )
    try:
        booking.cancel_meeting(
            meeting_id=meeting.pk, user_id=request.user.pk, reason=form.cleaned_data["reason"]
        )
    except MeetingError as exc:
        return _refused(request, meeting, exc, cancel_form=form)
    messages.success(request, _("会议已取消，会议室已释放"))
    return _done(meeting)
