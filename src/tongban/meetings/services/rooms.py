"""会议室管理: the 会议室管理员 of a department adds and changes its rooms (name, place, capacity,
equipment) and takes them out of use. A room with bookings is never deleted, only 停用; lowering
its capacity below a coming booking's expected attendees is refused."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.meetings import access
from tongban.meetings.errors import MeetingError, MeetingNotFound
from tongban.meetings.models import Equipment, MeetingRoom, MeetingStatus


@dataclass(frozen=True)
class RoomFields:
    name: str
    location: str
    capacity: int | None
    equipment: tuple[str, ...]
    department_id: int | None
    is_active: bool = True


def _check(fields: RoomFields, user_id: int) -> None:
    if not fields.name.strip():
        raise MeetingError(_("请输入会议室名称"), field="name")
    if not fields.location.strip():
        raise MeetingError(_("请输入会议室位置"), field="location")
    if fields.capacity is None or not 1 <= fields.capacity <= 2000:
        raise MeetingError(_("容纳人数须为1至2000的整数"), field="capacity")
    if set(fields.equipment) - set(Equipment.values):
        raise MeetingError(_("请从列表中选择设备"), field="equipment")
    if fields.department_id not in access.standing_of(user_id).room_admin_of:
        raise MeetingError(_("请选择您管理会议室的部门"), field="department")


def _values(fields: RoomFields) -> dict[str, object]:
    return {
        "name": " ".join(fields.name.split())[:100],
        "location": fields.location.strip()[:200],
        "capacity": fields.capacity,
        "equipment": [code for code in Equipment.values if code in set(fields.equipment)],
        "department_id": fields.department_id,
        "is_active": fields.is_active,
    }


def _taken_name() -> MeetingError:
    return MeetingError(_("已有同名的会议室，请换一个名称"), field="name")


def create_room(*, user_id: int, fields: RoomFields) -> int:
    _check(fields, user_id)
    try:
        with transaction.atomic():
            return MeetingRoom.objects.create(**_values(fields)).pk
    except IntegrityError:
        raise _taken_name() from None


def update_room(*, user_id: int, room_id: int, fields: RoomFields) -> None:
    _check(fields, user_id)
    try:
        with transaction.atomic():
            room = MeetingRoom.objects.select_for_update().filter(pk=room_id).first()
            if room is None or room.department_id not in access.standing_of(user_id).room_admin_of:
                raise MeetingNotFound(_("没有找到该会议室"), code="not_found")
            coming = (
                room.meetings.filter(ends_at__gt=timezone.now())
                .exclude(status=MeetingStatus.CANCELLED)
                .order_by("-expected_attendees")
                .first()
            )
            if (
                coming is not None
                and fields.capacity is not None
                and coming.expected_attendees > fields.capacity
            ):
                raise MeetingError(
                    _("已预订的“%(title)s”有%(n)d人参会，容纳人数不能少于此数")
                    % {"title": coming.title, "n": coming.expected_attendees},
                    field="capacity",
                )
            for name, value in _values(fields).items():
                setattr(room, name, value)
            room.save()
    except IntegrityError:
        raise _taken_name() from None


def equipment_codes(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(v for v in values if v)
