"""The demo city's 会议 (issue 16): the 市政府办公室's three rooms (managed by office_meeting_admin), and
this week's meetings — one held already, with its replies, sign-ins, decisions and 纪要 draft; one
coming with its notice out and replies in (a department naming its attendee, a 请假 with its reason);
one whose replies are still open; and a 周例会 booked whose notice is not sent yet.

Everything goes through the meetings services. The services refuse to book, reply or sign in at a
past time, so the meeting already held is driven with the clock set back to each moment (``_as_of``).
Idempotent: meetings have fixed keys per week, and a second load changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from unittest import mock

from django.utils import timezone

from tongban.accounts.selectors import user_id_by_username
from tongban.core.calendar import add_working_days, is_working_day
from tongban.meetings import selectors as meeting_selectors
from tongban.meetings.errors import MeetingError
from tongban.meetings.services import booking, minutes, replies, rooms, signin
from tongban.meetings.services.booking import MeetingPlan
from tongban.organizations.selectors import department_by_name

OFFICE = "云州市人民政府办公室"
MARKET = "云州市市场监督管理局"
TAX = "国家税务总局云州市税务局"

ROOMS = (
    # name, place, capacity, equipment
    ("市政府第一会议室", "市政府1号楼3楼", 40, ("projector", "video", "microphone", "screen")),
    ("市政府第二会议室", "市政府1号楼5楼", 16, ("projector", "microphone")),
    ("市政府小会议室", "市政府2号楼2楼", 8, ("screen",)),
)


@contextmanager
def _as_of(moment: dt.datetime) -> Iterator[None]:
    """The clock at ``moment`` (the demo's meeting already held)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _uid(username: str) -> int:
    found = user_id_by_username(username)
    if found is None:
        raise LookupError(username)
    return found


def _department(name: str) -> int:
    found = department_by_name(name)
    if found is None:
        raise LookupError(name)
    return found.id


def _ensure_rooms(admin: int, office: int) -> dict[str, int]:
    existing = {r.name: r.pk for r in meeting_selectors.active_rooms()}
    for name, place, capacity, equipment in ROOMS:
        if name not in existing:
            existing[name] = rooms.create_room(
                user_id=admin,
                fields=rooms.RoomFields(
                    name=name, location=place, capacity=capacity, equipment=equipment, department_id=office
                ),
            )
    return existing


def _local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _previous_working_day(today: dt.date) -> dt.date:
    day = today - dt.timedelta(days=1)
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def _book(user: int, key: str, plan: MeetingPlan) -> int:
    return booking.book_meeting(user_id=user, plan=plan, idempotency_key=key)


def _invitation_of(meeting_id: int, user_id: int) -> int:
    from tongban.meetings.access import get_meeting_for

    meeting = get_meeting_for(user_id, meeting_id)
    invitation = meeting_selectors.my_invitation(meeting, user_id) if meeting else None
    if invitation is None:
        raise LookupError(user_id)
    return invitation.pk


def _department_invitation(meeting_id: int, clerk: int) -> int:
    from tongban.meetings.access import get_meeting_for, standing_of

    meeting = get_meeting_for(clerk, meeting_id)
    found = meeting_selectors.departments_to_name(meeting, standing_of(clerk)) if meeting else []
    if not found:
        raise LookupError(clerk)
    return found[0].pk


def _held_meeting(people: dict[str, int], office: int, market: int, room: int, day: dt.date) -> None:
    """市政府常务会议 (held): notice, replies, a department naming its attendee, sign-ins by door code and
    by staff, two decisions and the 纪要 draft."""
    organiser = people["office_drafter"]
    with _as_of(_local(day, 8)):
        meeting_id = _book(
            organiser,
            f"demo-meeting-held-{day:%Y%m%d}",
            MeetingPlan(
                title="市政府第29次常务会议",
                department_id=office,
                host="市长",
                starts_at=_local(day, 15),
                ends_at=_local(day, 16, 30),
                room_id=room,
                place="",
                expected_attendees=12,
                agenda="一、审议《云州市优化营商环境三年行动方案》\n二、研究市场主体登记便利化措施",
            ),
        )
        booking.invite(
            meeting_id=meeting_id,
            user_id=organiser,
            people=[people["office_head"], people["office_reviewer"], people["office_signer"]],
            departments=[market],
        )
        booking.send_notice(meeting_id=meeting_id, user_id=organiser)
    with _as_of(_local(day, 9, 30)):
        replies.reply(
            invitation_id=_invitation_of(meeting_id, people["office_head"]),
            user_id=people["office_head"],
            answer="attend",
        )
        replies.reply(
            invitation_id=_invitation_of(meeting_id, people["office_reviewer"]),
            user_id=people["office_reviewer"],
            answer="attend",
        )
        replies.reply(
            invitation_id=_invitation_of(meeting_id, people["office_signer"]),
            user_id=people["office_signer"],
            answer="leave",
            reason="参加省政府专题会议",
        )
        replies.name_attendees(
            invitation_id=_department_invitation(meeting_id, people["market_doc_clerk"]),
            user_id=people["market_doc_clerk"],
            people=[people["market_doc_signer"]],
        )
        replies.reply(
            invitation_id=_invitation_of(meeting_id, people["market_doc_signer"]),
            user_id=people["market_doc_signer"],
            answer="attend",
        )
    with _as_of(_local(day, 14, 50)):
        token = signin.sign_in_token(meeting_id)
        for person in ("office_head", "market_doc_signer"):
            signin.sign_in_with_code(meeting_id=meeting_id, token=token, user_id=people[person])
        signin.sign_in_for(
            meeting_id=meeting_id,
            user_id=organiser,
            invitation_id=_invitation_of(meeting_id, people["office_reviewer"]),
        )
    with _as_of(_local(day, 16, 40)):
        if not minutes_decisions_exist(meeting_id, organiser):
            minutes.add_decision(
                meeting_id=meeting_id,
                user_id=organiser,
                text="原则通过《云州市优化营商环境三年行动方案》，由市政府办公室按会议意见修改后印发",
                lead_department_id=office,
                working_days=10,
            )
            minutes.add_decision(
                meeting_id=meeting_id,
                user_id=organiser,
                text="市场主体登记实行“一网通办”，市市场监管局牵头制定实施细则",
                lead_department_id=market,
                working_days=20,
            )
        with suppress(MeetingError):  # no 纪要 template: the demo loaded without its 公文
            minutes.draft_minutes(meeting_id=meeting_id, user_id=organiser)


def minutes_decisions_exist(meeting_id: int, user_id: int) -> bool:
    from tongban.meetings.access import get_meeting_for

    meeting = get_meeting_for(user_id, meeting_id)
    return meeting is not None and meeting.decisions.exists()


def _coming_meetings(
    people: dict[str, int], office: int, market: int, tax: int, rooms_by_name: dict[str, int], today: dt.date
) -> None:
    organiser = people["office_drafter"]
    first, second = add_working_days(today, 1), add_working_days(today, 2)
    week = f"{today - dt.timedelta(days=today.weekday()):%Y%m%d}"
    promotion = _book(
        organiser,
        f"demo-meeting-promotion-{week}",
        MeetingPlan(
            title="全市优化营商环境工作推进会",
            department_id=office,
            host="李副市长",
            starts_at=_local(first, 9),
            ends_at=_local(first, 10, 30),
            room_id=rooms_by_name["市政府第一会议室"],
            place="",
            expected_attendees=20,
            agenda="一、通报一季度营商环境评价情况\n二、各部门汇报整改进展\n三、部署下一阶段工作",
        ),
    )
    booking.invite(
        meeting_id=promotion,
        user_id=organiser,
        people=[people["office_head"], people["office_reviewer"]],
        departments=[market, tax],
    )
    booking.send_notice(meeting_id=promotion, user_id=organiser)
    replies.reply(
        invitation_id=_invitation_of(promotion, people["office_head"]),
        user_id=people["office_head"],
        answer="attend",
    )
    replies.reply(
        invitation_id=_invitation_of(promotion, people["office_reviewer"]),
        user_id=people["office_reviewer"],
        answer="leave",
        reason="当天在省政务服务中心跟班学习",
    )
    replies.name_attendees(
        invitation_id=_department_invitation(promotion, people["market_doc_clerk"]),
        user_id=people["market_doc_clerk"],
        people=[people["market_doc_signer"]],
    )
    replies.reply(
        invitation_id=_invitation_of(promotion, people["market_doc_signer"]),
        user_id=people["market_doc_signer"],
        answer="attend",
    )
    online = _book(
        organiser,
        f"demo-meeting-online-{week}",
        MeetingPlan(
            title="政务服务“一网通办”专题视频会",
            department_id=office,
            host="市政府秘书长",
            starts_at=_local(second, 14, 30),
            ends_at=_local(second, 16),
            room_id=rooms_by_name["市政府第二会议室"],
            place="",
            expected_attendees=10,
            agenda="研究“一网通办”平台二期建设需求",
        ),
    )
    booking.invite(
        meeting_id=online, user_id=organiser, people=[people["office_head"], people["office_doc_clerk"]]
    )
    booking.send_notice(meeting_id=online, user_id=organiser)
    _book(
        people["office_meeting_admin"],
        f"demo-meeting-weekly-{week}",
        MeetingPlan(
            title="办公室周例会",
            department_id=office,
            host="陈志远",
            starts_at=_local(second, 9),
            ends_at=_local(second, 9, 45),
            room_id=rooms_by_name["市政府小会议室"],
            place="",
            expected_attendees=6,
        ),
    )


def load_meetings() -> bool:
    """Rooms and this week's meetings; False (nothing done) without the demo's accounts."""
    try:
        people = {
            name: _uid(name)
            for name in (
                "office_meeting_admin",
                "office_drafter",
                "office_head",
                "office_reviewer",
                "office_signer",
                "office_doc_clerk",
                "market_doc_clerk",
                "market_doc_signer",
            )
        }
        office, market, tax = _department(OFFICE), _department(MARKET), _department(TAX)
    except LookupError:
        return False
    rooms_by_name = _ensure_rooms(people["office_meeting_admin"], office)
    today = timezone.localdate()
    try:
        _held_meeting(people, office, market, rooms_by_name["市政府第一会议室"], _previous_working_day(today))
        _coming_meetings(people, office, market, tax, rooms_by_name, today)
    except MeetingError:
        return True  # loaded before: the meetings are there (and may have started since)
    return True
