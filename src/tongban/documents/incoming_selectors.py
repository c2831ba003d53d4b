"""收文办理 reads (issue 15): the 收文 lists of a department's clerks and 承办 handlers, one 收文's 办理单,
the 待阅 list, and the ``received:`` subject describer for 待办/已办/抄送."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse

from tongban.accounts.selectors import names_of
from tongban.core.counting import Rows, first_rows
from tongban.documents.access import clerk_department_ids, get_received_for
from tongban.documents.models import (
    Circulation,
    HandlingAssignment,
    HandlingStatus,
    IncomingHandling,
    IncomingNudge,
    IncomingState,
    ReceivedDocument,
)
from tongban.documents.services.incoming import received_id_of
from tongban.documents.types import InstructionRef
from tongban.organizations.selectors import departments_by_ids
from tongban.workflow.subjects import SubjectSummary

LIST_LIMIT = 100
TABS = ("unregistered", "handling", "done")


def _mine(user_id: int) -> Q:
    """收文 of the departments whose 收发 the user does, and those one of them handles (承办)."""
    departments = clerk_department_ids(user_id)
    handled = HandlingAssignment.objects.filter(department_id__in=departments).values("received_id")
    return Q(department_id__in=departments) | Q(pk__in=handled)


def received_list(user_id: int, tab: str) -> list[ReceivedDocument]:
    """One tab of 收文, newest first, at most LIST_LIMIT rows: 待登记 (signed for, no 收文号: the
    receiving department's only), 办理中, 已办结."""
    rows: QuerySet[ReceivedDocument]
    if tab == "unregistered":
        rows = ReceivedDocument.objects.filter(
            department_id__in=clerk_department_ids(user_id),
            state=IncomingState.RECEIVED,
            registration_number="",
        ).order_by("-received_at", "-id")
    else:
        done = Q(handling_status=HandlingStatus.DONE)
        rows = (
            ReceivedDocument.objects.filter(_mine(user_id))
            .exclude(registration_number="")
            .filter(done if tab == "done" else ~done)
            .order_by("-registered_at", "-id")
        )
    return list(rows[:LIST_LIMIT])


@dataclass(frozen=True)
class AssignmentRow:
    assignment: HandlingAssignment
    department: str
    handler: str
    attachments: list[tuple[int, str]]


@dataclass(frozen=True)
class CirculationRow:
    circulation: Circulation
    reader: str
    sent_by: str


@dataclass(frozen=True)
class HandlingSheet:
    """The 收文办理单: the registered fields and what each step wrote."""

    received: ReceivedDocument
    department: str
    handling: IncomingHandling | None
    people: dict[int, str]
    assignments: list[AssignmentRow]
    circulations: list[CirculationRow]
    nudges: list[IncomingNudge]
    # Who registered, proposed (拟办), instructed (批示) and closed (办结) it, by those words.
    by: dict[str, str]


def handling_sheet(received: ReceivedDocument) -> HandlingSheet:
    handling = IncomingHandling.objects.filter(received=received).select_related("reply").first()
    assignments = list(
        HandlingAssignment.objects.filter(received=received).prefetch_related("attachments").order_by("slot")
    )
    circulations = list(Circulation.objects.filter(received=received).order_by("sent_at", "id"))
    nudges = list(IncomingNudge.objects.filter(received=received))
    people_ids = {c.reader_id for c in circulations} | {c.sent_by_id for c in circulations}
    people_ids |= {a.handled_by_id for a in assignments if a.handled_by_id} | {n.actor_id for n in nudges}
    if handling is not None:
        people_ids |= {
            u
            for u in (
                handling.registered_by_id,
                handling.proposed_by_id,
                handling.instructed_by_id,
                handling.closed_by_id,
            )
            if u
        }
    people = names_of(people_ids)
    departments = departments_by_ids({received.department_id} | {a.department_id for a in assignments})
    steps = ("registered", "proposed", "instructed", "closed")
    by = {step: people.get(getattr(handling, f"{step}_by_id") or 0, "") if handling else "" for step in steps}
    return HandlingSheet(
        by=by,
        received=received,
        department=departments[received.department_id].name,
        handling=handling,
        people=people,
        assignments=[
            AssignmentRow(
                assignment=a,
                department=departments[a.department_id].name,
                handler=people.get(a.handled_by_id or 0, ""),
                attachments=[(f.pk, f.name) for f in a.attachments.all()],
            )
            for a in assignments
        ],
        circulations=[
            CirculationRow(
                circulation=c, reader=people.get(c.reader_id, ""), sent_by=people.get(c.sent_by_id, "")
            )
            for c in circulations
        ],
        nudges=nudges,
    )


def instruction_of(user_id: int, received_id: int) -> InstructionRef | None:
    """The 领导批示 of a 收文 the user may see (``access.get_received_for``), None when the user may not
    see it or no leader has instructed on it yet."""
    received = get_received_for(user_id, received_id)
    if received is None:
        return None
    handling = IncomingHandling.objects.filter(received=received).first()
    if handling is None or not handling.instruction or handling.instructed_by_id is None:
        return None
    departments = HandlingAssignment.objects.filter(received=received).order_by("slot")
    return InstructionRef(
        received_id=received.pk,
        title=received.title,
        registration_number=received.registration_number,
        department_id=received.department_id,
        instruction=handling.instruction,
        instructed_by_id=handling.instructed_by_id,
        instructed_at=handling.instructed_at or received.registered_at or received.delivered_at,
        handling_department_ids=tuple(departments.values_list("department_id", flat=True)),
        handling_days=handling.handling_days,
    )


def attachment_for(received: ReceivedDocument, attachment_id: int) -> tuple[str, str, bytes] | None:
    """(name, MIME type, content) of a 承办 attachment of this 收文."""
    from tongban.documents.models import HandlingAttachment

    row = HandlingAttachment.objects.filter(pk=attachment_id, assignment__received=received).first()
    return (row.name, row.mime_type, bytes(row.content)) if row else None


def circulations_to(user_id: int) -> tuple[list[Circulation], list[Circulation]]:
    """待阅 (unread, oldest first) and 已阅 (latest read first) of the user, LIST_LIMIT each."""
    mine = Circulation.objects.filter(reader_id=user_id).select_related("received")
    unread = list(mine.filter(read_at__isnull=True).order_by("sent_at", "id")[:LIST_LIMIT])
    read = list(mine.filter(read_at__isnull=False).order_by("-read_at", "-id")[:LIST_LIMIT])
    return unread, read


def unread_circulation_rows(user_id: int, limit: int | None = None) -> Rows:
    """待阅 not yet read, at most ``limit`` of them (the navigation counts them)."""
    return first_rows(Circulation.objects.filter(reader_id=user_id, read_at__isnull=True), limit)


def describe_received(subjects: list[str]) -> dict[str, SubjectSummary]:
    """Task lists of every family (待办/已办/抄送) show a 收文 by its 收文号, title and 来文单位."""
    ids = {received_id_of(s) for s in subjects} - {None}
    return {
        r.subject: SubjectSummary(
            number=r.registration_number,
            title=f"收文：{r.title}",
            party=r.sender_name,
            page_url=reverse("documents:received_handling", args=[r.pk]),
            task_url=lambda task_id: reverse("documents:received_task", args=[task_id]),
            claim_url=lambda task_id: reverse("documents:received_claim", args=[task_id]),
        )
        for r in ReceivedDocument.objects.filter(pk__in=ids)
    }
