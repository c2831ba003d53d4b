"""Reads of 公文交换: a receiving clerk's 待签收 and the sender's 分发情况 (issue 15)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from tongban.accounts.selectors import names_of
from tongban.core.counting import Rows, first_rows
from tongban.documents.access import clerk_department_ids
from tongban.documents.models import (
    DeliveryState,
    DocumentRecipient,
    IncomingState,
    OfficialDocument,
    ReceivedDocument,
)

PENDING_SHOWN = 100  # the 待签收 list shows the newest this many


def _pending(user_id: int) -> QuerySet[ReceivedDocument]:
    return ReceivedDocument.objects.filter(
        department_id__in=clerk_department_ids(user_id), state=IncomingState.PENDING
    )


def pending_for_clerk(user_id: int) -> tuple[list[ReceivedDocument], bool]:
    """待签收 in the user's departments (where they are 文书人员), newest first, at most PENDING_SHOWN;
    and whether there are more."""
    rows = list(_pending(user_id).order_by("-delivered_at", "-id")[: PENDING_SHOWN + 1])
    return rows[:PENDING_SHOWN], len(rows) > PENDING_SHOWN


def pending_rows(user_id: int, limit: int | None = None) -> Rows:
    """The copies waiting for the user's 签收, at most ``limit`` of them (the navigation counts them)."""
    return first_rows(_pending(user_id).order_by(), limit)


def is_sender_clerk(user_id: int, document: OfficialDocument) -> bool:
    """Whether the user does the 收发 (文书人员) of the body that issued the document."""
    return document.issuing_body.department_id in clerk_department_ids(user_id)


@dataclass(frozen=True)
class DistributionRow:
    recipient: DocumentRecipient
    on_platform: bool
    received_by_name: str


def distribution_of(document: OfficialDocument) -> list[DistributionRow]:
    """Per 主送/抄送 body: its exchange state and times, 主送 first."""
    recipients = list(document.recipients.order_by("kind", "position", "id"))
    people = names_of({r.received_by_id for r in recipients if r.received_by_id})
    kind_order = {"main": 0, "copy": 1}
    recipients.sort(key=lambda r: (kind_order.get(r.kind, 2), r.position, r.pk))
    return [
        DistributionRow(
            recipient=r,
            on_platform=r.department_id is not None,
            received_by_name=people.get(r.received_by_id, "") if r.received_by_id else "",
        )
        for r in recipients
    ]


def may_withdraw(document: OfficialDocument) -> bool:
    """撤回 is possible while some copy waits for 签收 and none has been signed for."""
    states = set(document.recipients.values_list("state", flat=True))
    return DeliveryState.DELIVERED in states and DeliveryState.RECEIVED not in states
