"""Reads of the 发文 pages: the departments a drafter drafts for, templates, the document lists (我拟的稿,
在办, 已分发: bounded, keyset-paged), the 发文单 as the document page shows it, and the ``document:``
subjects for task lists of every family (待办/已办/抄送)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse

from tongban.accounts.selectors import names_of
from tongban.documents.models import (
    CountersignDepartment,
    DocumentKind,
    DocumentRecipient,
    DocumentStatus,
    DocumentTemplate,
    IssuingBody,
    OfficialDocument,
    RecipientKind,
)
from tongban.organizations.selectors import department_ancestor, departments_by_ids, roles_of
from tongban.organizations.types import DepartmentRef
from tongban.workflow import selectors as workflow_selectors
from tongban.workflow.subjects import SubjectSummary

PAGE_SIZE = 20
ANCESTOR_LEVELS = 4  # a drafter may draft for a body up to this many levels above their department
SUBJECT_PREFIX = "document:"
TABS = ("drafts", "running", "distributed")
RUNNING = (
    DocumentStatus.REVIEWING,
    DocumentStatus.COUNTERSIGNING,
    DocumentStatus.SIGNING,
    DocumentStatus.NUMBERING,
    DocumentStatus.TYPESETTING,
    DocumentStatus.SEALING,
    DocumentStatus.DISTRIBUTING,
)
DONE = (DocumentStatus.DISTRIBUTED, DocumentStatus.ARCHIVED)


def document_id_of(subject: str) -> int | None:
    if not subject.startswith(SUBJECT_PREFIX):
        return None
    rest = subject[len(SUBJECT_PREFIX) :]
    return int(rest) if rest.isdigit() else None


def drafting_departments(user_id: int) -> list[DepartmentRef]:
    """The departments the user works in (holds a role in): where they may draft."""
    found = departments_by_ids({d for d, _role in roles_of(user_id=user_id)})
    return sorted(found.values(), key=lambda d: (d.name, d.id))


def issuing_body_ids_for(user_id: int) -> set[int]:
    """The issuing bodies the user may draft for: those of their departments and of the departments
    above them (a department drafts for its government's office, e.g.)."""
    departments: set[int] = set()
    for department in drafting_departments(user_id):
        for levels in range(ANCESTOR_LEVELS + 1):
            above = department_ancestor(department.id, levels)
            if above is None:
                break
            departments.add(above)
    return set(
        IssuingBody.objects.filter(department_id__in=departments, is_active=True).values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class TemplateChoice:
    id: int
    name: str
    kind: str
    kind_label: str
    body_name: str


def templates_for(user_id: int) -> list[TemplateChoice]:
    """The active templates the user may draft from (文种 × 发文机关), by 文种 and name."""
    bodies = issuing_body_ids_for(user_id)
    own = set(IssuingBody.objects.filter(pk__in=bodies).values_list("department_id", flat=True))
    mine = {d.id for d in drafting_departments(user_id)}
    rows = DocumentTemplate.objects.filter(is_active=True).filter(
        Q(issuing_body_id__in=bodies) | Q(issuing_body__isnull=True)
    )
    labels = dict(DocumentKind.choices)
    found = []
    for template in rows.select_related("issuing_body").order_by("kind", "name", "id"):
        if template.issuing_body is None and not (own & mine):
            continue  # a template for any body needs a body of the drafter's own department
        found.append(
            TemplateChoice(
                id=template.pk,
                name=template.name,
                kind=template.kind,
                kind_label=str(labels.get(template.kind, template.kind)),
                body_name=template.issuing_body.name if template.issuing_body else "",
            )
        )
    return found


# --- the lists -------------------------------------------------------------------------------------


def _visible(user_id: int) -> QuerySet[OfficialDocument]:
    """Documents in the user's 知悉范围 as far as the lists go: drafted by them, or with a step of
    theirs (done or open) or a copy to them (the pages check each one again through ``access``)."""
    subjects = workflow_selectors.subjects_of_user(user_id, prefix=SUBJECT_PREFIX)
    return OfficialDocument.objects.annotate(
        subject_text=Concat(Value(SUBJECT_PREFIX), Cast("pk", CharField()))
    ).filter(Q(drafter_id=user_id) | Q(subject_text__in=subjects))


@dataclass(frozen=True)
class DocumentRow:
    id: int
    title: str
    kind_label: str
    document_number: str
    status: str
    status_label: str
    drafter: str
    created_at: dt.datetime
    current_steps: str


@dataclass(frozen=True)
class DocumentPage:
    rows: list[DocumentRow]
    next_cursor: str
    count: int  # bounded: at most ``count_limit``
    count_limit: int


def document_list(
    user_id: int, *, tab: str, kind: str = "", cursor: str = "", count_limit: int = 1000
) -> DocumentPage:
    """One page of 发文 (newest first, keyset by (created_at, id)) on a tab: 草稿 (being drafted),
    在办 (between 核稿 and 分发), 已分发; filtered by 文种. ``count`` stops at ``count_limit``."""
    documents = _visible(user_id)
    if tab == "drafts":
        documents = documents.filter(status=DocumentStatus.DRAFTING)
    elif tab == "distributed":
        documents = documents.filter(status__in=DONE)
    else:
        documents = documents.filter(status__in=RUNNING)
    if kind in DocumentKind.values:
        documents = documents.filter(kind=kind)
    count = documents.values("pk")[:count_limit].count()
    after = _parse_cursor(cursor)
    if after is not None:
        created, pk = after
        documents = documents.filter(Q(created_at__lt=created) | Q(created_at=created, pk__lt=pk))
    page = list(documents.order_by("-created_at", "-pk")[: PAGE_SIZE + 1])
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    names = names_of({d.drafter_id for d in page})
    steps = workflow_selectors.open_tasks_by_subject([d.subject for d in page])
    rows = [
        DocumentRow(
            id=d.pk,
            title=d.title,
            kind_label=d.get_kind_display(),
            document_number=d.document_number or "",
            status=d.status,
            status_label=d.get_status_display(),
            drafter=names.get(d.drafter_id, ""),
            created_at=d.created_at,
            current_steps="、".join(dict.fromkeys(t.name for t in steps.get(d.subject, []))),
        )
        for d in page
    ]
    next_cursor = f"{page[-1].created_at.isoformat()}|{page[-1].pk}" if more and page else ""
    return DocumentPage(rows=rows, next_cursor=next_cursor, count=count, count_limit=count_limit)


def _parse_cursor(text: str) -> tuple[dt.datetime, int] | None:
    created, _sep, pk = text.partition("|")
    try:
        return dt.datetime.fromisoformat(created), int(pk)
    except ValueError:
        return None


# --- one document ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecipientView:
    kind: str
    department_id: int | None
    name: str
    state_label: str


@dataclass(frozen=True)
class FormView:
    """The 发文单 (稿纸) as the document and task pages show it."""

    document: OfficialDocument
    body_name: str
    head_text: str
    body_code: str
    drafter: str
    drafting_department: str
    reviewer: str
    signer: str
    main: list[RecipientView]
    copies: list[RecipientView]
    countersign_departments: list[DepartmentRef]
    latest_version: int
    body_html: str


def form_view(document: OfficialDocument) -> FormView:
    recipients = list(DocumentRecipient.objects.filter(document=document).order_by("kind", "position", "id"))
    countersign_ids = list(
        CountersignDepartment.objects.filter(document=document).values_list("department_id", flat=True)
    )
    departments = departments_by_ids(set(countersign_ids) | {document.drafting_department_id})
    people = names_of({u for u in (document.drafter_id, document.reviewer_id, document.signer_id) if u})
    body = IssuingBody.objects.get(pk=document.issuing_body_id)
    latest = document.versions.order_by("-number").values_list("number", "html").first()

    def view(row: DocumentRecipient) -> RecipientView:
        return RecipientView(
            kind=row.kind,
            department_id=row.department_id,
            name=row.name,
            state_label=row.get_state_display() if row.state else "",
        )

    return FormView(
        document=document,
        body_name=body.name,
        head_text=body.head_text,
        body_code=body.code,
        drafter=people.get(document.drafter_id, ""),
        drafting_department=departments[document.drafting_department_id].name,
        reviewer=people.get(document.reviewer_id or 0, ""),
        signer=people.get(document.signer_id or 0, ""),
        main=[view(r) for r in recipients if r.kind == RecipientKind.MAIN],
        copies=[view(r) for r in recipients if r.kind == RecipientKind.COPY],
        countersign_departments=[departments[d] for d in countersign_ids if d in departments],
        latest_version=latest[0] if latest else 0,
        body_html=latest[1] if latest else "",
    )


@dataclass(frozen=True)
class CountersignOpinion:
    department: str
    person: str
    action_label: str
    opinion: str
    at: dt.datetime | None


def countersign_opinions(document: OfficialDocument) -> list[CountersignOpinion]:
    """The 会签 opinions, one per department step completed (the latest round)."""
    record = [
        r
        for r in workflow_selectors.process_record(document.subject)
        if r.element_id == "countersign" and r.status == "completed"
    ]
    people = names_of({r.assignee_id for r in record if r.assignee_id})
    departments = departments_by_ids({r.department_id for r in record})
    return [
        CountersignOpinion(
            department=departments[r.department_id].name,
            person=people.get(r.assignee_id or 0, ""),
            action_label=r.action_label,
            opinion=r.opinion,
            at=r.completed_at,
        )
        for r in record
    ]


def describe_documents(subjects: list[str]) -> dict[str, SubjectSummary]:
    """Task lists of every family (待办/已办/抄送) show a document by its 文号 (or 文种) and 标题 and
    its drafter."""
    ids = {document_id_of(s) for s in subjects} - {None}
    documents = list(OfficialDocument.objects.filter(pk__in=ids))
    names = names_of({d.drafter_id for d in documents})
    return {
        d.subject: SubjectSummary(
            number=d.document_number or d.title or f"{d.get_kind_display()}（未填写标题）",
            title=f"{d.get_kind_display()}：{d.title or '（未填写标题）'}",
            party=names.get(d.drafter_id, ""),
            page_url=reverse("documents:document", args=[d.pk]),
            task_url=lambda task_id: reverse("documents:task", args=[task_id]),
            claim_url=lambda task_id: reverse("documents:claim", args=[task_id]),
        )
        for d in documents
    }


def kind_choices() -> list[tuple[str, Any]]:
    return list(DocumentKind.choices)
