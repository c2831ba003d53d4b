"""Where a 督办事项 comes from (督办来源): a registry of source kinds. Each kind resolves an id, for a
viewer, into a ``Source``: what the item links to and what the 立项 form is prefilled with.

Built in: ``received_document`` (a leader's 批示 on a 收文, read through documents' selectors) and
``manual`` (a 工作计划 item or anything typed in; no id). Apps above this one add theirs from their
``AppConfig.ready()`` — meetings registers ``meeting_decision``::

    from tongban.tracking import sources
    sources.register("meeting_decision", _("会议决定"), resolve_decision)

A resolver is ``resolve(viewer_id, source_id) -> Source | None``: None when the thing does not exist
or the viewer may not see it (the 立项 page then refuses the source, as for any unknown one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongban.documents.incoming_selectors import instruction_of

RECEIVED_DOCUMENT = "received_document"
MANUAL = "manual"


@dataclass(frozen=True)
class Source:
    kind: str
    id: str
    label: str  # e.g. 收文 云府收〔2026〕3号 领导批示
    title: str  # suggested 督办事项 title
    url: str = ""  # where the source is shown ("" none)
    requirement: str = ""  # suggested 督办要求
    lead_department_id: int | None = None
    assisting_department_ids: tuple[int, ...] = ()
    deadline_days: int | None = None
    leader_id: int | None = None  # the leader who instructed (sees the item and their board)
    extra: dict[str, str] = field(default_factory=dict)


Resolver = Callable[[int, str], Source | None]


@dataclass(frozen=True)
class SourceKind:
    kind: str
    label: str | Promise
    resolve: Resolver
    needs_id: bool = True


_kinds: dict[str, SourceKind] = {}


def register(kind: str, label: str | Promise, resolve: Resolver, *, needs_id: bool = True) -> None:
    """Add (or replace: ready() may run twice in tests) a source kind."""
    _kinds[kind] = SourceKind(kind=kind, label=label, resolve=resolve, needs_id=needs_id)


def kinds() -> list[SourceKind]:
    return list(_kinds.values())


def kind_label(kind: str) -> str:
    found = _kinds.get(kind)
    return str(found.label) if found else kind


def parse(value: str) -> tuple[str, str]:
    """``kind:id`` (or ``manual``) as (kind, id)."""
    kind, _sep, source_id = value.strip().partition(":")
    return kind, source_id


def resolve(viewer_id: int, value: str) -> Source | None:
    """The source ``kind:id`` as the viewer may see it, None when unknown or not theirs to see."""
    kind, source_id = parse(value)
    found = _kinds.get(kind)
    if found is None or (found.needs_id and not source_id):
        return None
    return found.resolve(viewer_id, source_id)


def _received_document(viewer_id: int, source_id: str) -> Source | None:
    if not source_id.isdigit():
        return None
    instruction = instruction_of(viewer_id, int(source_id))
    if instruction is None:
        return None
    departments = instruction.handling_department_ids
    number = instruction.registration_number or str(instruction.received_id)
    return Source(
        kind=RECEIVED_DOCUMENT,
        id=source_id,
        label=_("收文%(number)s领导批示") % {"number": number},
        title=instruction.title,
        url=reverse("documents:received_handling", args=[instruction.received_id]),
        requirement=instruction.instruction,
        lead_department_id=departments[0] if departments else None,
        assisting_department_ids=tuple(departments[1:]),
        deadline_days=instruction.handling_days,
        leader_id=instruction.instructed_by_id,
    )


def _manual(viewer_id: int, source_id: str) -> Source | None:
    return Source(kind=MANUAL, id="", label=_("工作计划"), title="")


def register_builtin_sources() -> None:
    register(RECEIVED_DOCUMENT, gettext_lazy("收文领导批示"), _received_document)
    register(MANUAL, gettext_lazy("工作计划"), _manual, needs_id=False)
