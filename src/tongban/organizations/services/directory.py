"""Writes of the 通讯录: a person's own entry (职务, office phone, mobile and whether the directory shows
it), and the city's set-up (the general office, a person's place in their department's list)."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from tongban.organizations.errors import StaffError
from tongban.organizations.models import Department, DirectoryEntry

MOBILE = re.compile(r"^1\d{10}$")
OFFICE_PHONE = re.compile(r"^[\d\-]{7,20}$")


def update_my_directory_entry(
    *, user_id: int, position: str, office_phone: str, mobile: str, shows_mobile: bool
) -> None:
    """The person's own line in the 通讯录. The mobile is shown to colleagues only with ``shows_mobile``
    (off by default); a mobile number must be 11 digits starting with 1 and is required to show one.

    Raises StaffError with the field it is about."""
    position, office_phone, mobile = position.strip(), office_phone.strip().replace(" ", ""), mobile.strip()
    if len(position) > 50:
        raise StaffError(_("职务不能超过50个字"), field="position")
    if office_phone and not OFFICE_PHONE.match(office_phone):
        raise StaffError(_("办公电话应由数字和连字符组成，如0999-83120000"), field="office_phone")
    if mobile and not MOBILE.match(mobile):
        raise StaffError(_("手机号码应为以1开头的11位数字"), field="mobile")
    if shows_mobile and not mobile:
        raise StaffError(_("请输入手机号码，或不勾选在通讯录中显示"), field="mobile")
    with transaction.atomic():
        DirectoryEntry.objects.update_or_create(
            user_id=user_id,
            defaults={
                "position": position,
                "office_phone": office_phone,
                "mobile": mobile,
                "shows_mobile": shows_mobile,
            },
        )


def set_directory_order(*, user_id: int, sort_order: int) -> None:
    """Where the person comes in their departments' lists (lower first: leaders before staff)."""
    DirectoryEntry.objects.update_or_create(user_id=user_id, defaults={"sort_order": sort_order})


@transaction.atomic
def set_general_office(department_id: int) -> None:
    """Mark the city's general office (市政府办公室), whose notice publishers address the whole city;
    there is one, so any other department loses the mark."""
    Department.objects.filter(is_general_office=True).exclude(pk=department_id).update(
        is_general_office=False
    )
    Department.objects.filter(pk=department_id).update(is_general_office=True)
