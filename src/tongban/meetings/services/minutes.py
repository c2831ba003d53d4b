"""纪要 and 决定事项: "起草纪要" starts a 公文 of 文种 纪要 through the documents services, its 正文
prefilled with the meeting's time, place, host, attendees and decisions, and links it to the meeting;
decisions are rows (text, 牵头部门, working-day deadline) the 督办 app picks up by id."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from tongban.accounts.selectors import names_of
from tongban.core.calendar import add_working_days
from tongban.documents import selectors as document_selectors
from tongban.documents.errors import DocumentError
from tongban.documents.services import body as document_body
from tongban.documents.services import drafting
from tongban.meetings.errors import MeetingError, MeetingNotFound, MeetingStateError
from tongban.meetings.models import Decision, Meeting, Reply
from tongban.meetings.services.common import locked_meeting
from tongban.meetings.tracking_source import MEETING_DECISION
from tongban.organizations.selectors import departments_by_ids
from tongban.tracking.selectors import items_from_sources

MINUTES_KIND = "minutes"
MAX_WORKING_DAYS = 250


def _refuse_before_start(meeting: Meeting) -> None:
    if meeting.starts_at > timezone.now():
        raise MeetingStateError(_("会议开始后才能记录决定事项和起草纪要"), code="not_started")


@transaction.atomic
def add_decision(
    *, meeting_id: int, user_id: int, text: str, lead_department_id: int | None, working_days: int | None
) -> int:
    """A decision (决定事项): what was decided, the lead department and the time limit in working days
    counted from the meeting day (core.calendar). Returns its id."""
    meeting = locked_meeting(meeting_id, user_id)
    _refuse_before_start(meeting)
    text = text.strip()
    if not text:
        raise MeetingError(_("请输入决定事项"), field="text")
    if lead_department_id is None or not departments_by_ids({lead_department_id}):
        raise MeetingError(_("请选择牵头部门"), field="lead_department")
    if working_days is None or not 1 <= working_days <= MAX_WORKING_DAYS:
        raise MeetingError(_("办理时限须为1至250个工作日"), field="working_days")
    position = (meeting.decisions.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    decision = Decision.objects.create(
        meeting=meeting,
        position=position,
        text=text,
        lead_department_id=lead_department_id,
        working_days=working_days,
        due_on=add_working_days(timezone.localdate(meeting.starts_at), working_days),
        created_by_id=user_id,
    )
    return decision.pk


@transaction.atomic
def remove_decision(*, meeting_id: int, user_id: int, decision_id: int) -> None:
    """Deletes a decision recorded by mistake; one already opened as a 督办事项 stays (the item links
    to it)."""
    meeting = locked_meeting(meeting_id, user_id)
    if items_from_sources(MEETING_DECISION, [str(decision_id)]):
        raise MeetingStateError(_("该决定事项已立项督办，不能删除"), code="decision_tracked")
    if not meeting.decisions.filter(pk=decision_id).delete()[0]:
        raise MeetingNotFound(_("没有找到该决定事项"), code="not_found")


def minutes_html(meeting: Meeting) -> str:
    """The 纪要's starting 正文: when, where, who chaired, who attended (signed in, or replied 参加),
    who was on leave, and the decisions."""
    invitations = list(meeting.invitations.filter(is_department=False))
    names = names_of({i.user_id for i in invitations if i.user_id})
    present = [
        names.get(i.user_id or 0, "") for i in invitations if i.signed_in_at or i.reply == Reply.ATTEND
    ]
    absent = [names.get(i.user_id or 0, "") for i in invitations if i.reply == Reply.LEAVE]
    decisions = list(meeting.decisions.all())
    departments = departments_by_ids({d.lead_department_id for d in decisions})
    start = timezone.localtime(meeting.starts_at)
    paragraphs = [
        _("%(date)s，%(host)s在%(where)s主持召开%(title)s。现将会议议定事项纪要如下：")
        % {
            "date": f"{start:%Y年%-m月%-d日}",
            "host": meeting.host,
            "where": meeting.where,
            "title": meeting.title,
        }
    ]
    for number, decision in enumerate(decisions, start=1):
        paragraphs.append(
            _("%(n)d. %(text)s（牵头部门：%(department)s；完成期限：%(due)s）")
            % {
                "n": number,
                "text": decision.text,
                "department": departments[decision.lead_department_id].name,
                "due": f"{decision.due_on:%Y年%-m月%-d日}",
            }
        )
    paragraphs.append(_("出席：%(names)s") % {"names": "、".join(n for n in present if n) or _("（无）")})
    if absent:
        paragraphs.append(_("请假：%(names)s") % {"names": "、".join(n for n in absent if n)})
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs)


def _minutes_template(user_id: int) -> int:
    templates = [t for t in document_selectors.templates_for(user_id) if t.kind == MINUTES_KIND]
    if not templates:
        raise MeetingError(
            _("没有您可以使用的纪要模板，请联系办公室文书人员设置"), code="no_template", field="minutes"
        )
    return templates[0].id


def draft_minutes(*, meeting_id: int, user_id: int) -> int:
    """起草纪要: a 公文 draft of 文种 纪要 (the first 纪要 template the user may draft from, in the
    organiser department), titled after the meeting, its 正文 prefilled (``minutes_html``), linked to
    the meeting. Once linked, the same document is returned. Returns the document id."""
    with transaction.atomic():
        meeting = locked_meeting(meeting_id, user_id)
        _refuse_before_start(meeting)
        if meeting.minutes_document_id is not None:
            return meeting.minutes_document_id
        template_id = _minutes_template(user_id)
        try:
            document_id = drafting.start_document(
                user_id=user_id,
                template_id=template_id,
                department_id=meeting.department_id,
                idempotency_key=f"meeting-minutes-{meeting.pk}",
            )
            drafting.update_form(document_id=document_id, user_id=user_id, title=f"{meeting.title}纪要")
            document_body.save_body(document_id=document_id, user_id=user_id, html=minutes_html(meeting))
        except DocumentError as exc:
            raise MeetingError(exc.message, code=exc.code, field="minutes") from exc
        meeting.minutes_document_id = document_id
        meeting.save(update_fields=["minutes_document"])
        return document_id
