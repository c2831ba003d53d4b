"""Compiling an issue (期) of a 信息刊物: order and 编者按 while 编辑中, 印发 (numbering and the PDF), then
传阅 with read receipts."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.briefings.access import editor_department_ids
from tongban.briefings.errors import BriefingError, BriefingNotFound, BriefingStateError
from tongban.briefings.models import (
    Issue,
    IssueCirculation,
    IssueCounter,
    IssueEntry,
    IssueStatus,
    Publication,
)
from tongban.briefings.pdf import EntryText, IssueText, render_issue
from tongban.notifications.services import notify
from tongban.organizations.selectors import department_ref, departments_by_ids, staff_ids_in_department


def create_publication(*, user_id: int, department_id: int, name: str) -> int:
    """A new 信息刊物 compiled by the editor's department. Names are unique."""
    if department_id not in editor_department_ids(user_id):
        raise BriefingNotFound(_("您不是该单位的信息编辑"))
    name = name.strip().strip("《》")
    if not name:
        raise BriefingError(_("请输入刊物名称"), code="name")
    existing = Publication.objects.filter(name=name).first()
    if existing is not None:
        if existing.department_id == department_id:
            return existing.pk
        raise BriefingError(_("已有同名刊物，请换一个名称"), code="name")
    return Publication.objects.create(name=name, department_id=department_id).pk


def _editable_issue(user_id: int, issue_id: int) -> Issue:
    issue = (
        Issue.objects.select_for_update()
        .select_related("publication")
        .filter(pk=issue_id, publication__department_id__in=editor_department_ids(user_id))
        .first()
    )
    if issue is None:
        raise BriefingNotFound(_("没有找到该期刊物"))
    return issue


@transaction.atomic
def create_issue(*, user_id: int, publication_id: int) -> int:
    """新建一期: an issue being compiled. A user's empty draft of the publication is reused (a retried
    button makes no second one)."""
    publication = Publication.objects.filter(
        pk=publication_id, is_active=True, department_id__in=editor_department_ids(user_id)
    ).first()
    if publication is None:
        raise BriefingNotFound(_("没有找到该刊物"))
    empty = Issue.objects.filter(
        publication=publication, status=IssueStatus.DRAFT, created_by_id=user_id, entries__isnull=True
    ).first()
    if empty is not None:
        return empty.pk
    return Issue.objects.create(publication=publication, created_by_id=user_id, created_at=timezone.now()).pk


@transaction.atomic
def set_editor_note(*, user_id: int, issue_id: int, note: str) -> None:
    """编者按 of an issue being compiled (optional: empty removes it)."""
    issue = _editable_issue(user_id, issue_id)
    if issue.status != IssueStatus.DRAFT:
        raise BriefingStateError(_("该期已印发，不能修改"), code="state")
    issue.editor_note = note.strip()
    issue.save(update_fields=["editor_note"])


@transaction.atomic
def move_entry(*, user_id: int, issue_id: int, entry_id: int, up: bool) -> None:
    """上移 / 下移 an entry: it swaps places with its neighbour (nothing at the ends)."""
    issue = _editable_issue(user_id, issue_id)
    if issue.status != IssueStatus.DRAFT:
        raise BriefingStateError(_("该期已印发，不能调整顺序"), code="state")
    entries = list(issue.entries.order_by("position"))
    index = next((i for i, e in enumerate(entries) if e.pk == entry_id), None)
    if index is None:
        raise BriefingNotFound(_("没有找到该条目"))
    other = index - 1 if up else index + 1
    if not 0 <= other < len(entries):
        return
    a, b = entries[index], entries[other]
    # Positions are renumbered 1..n, so the swap never needs a free slot.
    for n, entry in enumerate(entries, start=1):
        entry.position = n
    a.position, b.position = b.position, a.position
    IssueEntry.objects.bulk_update(entries, ["position"])


def _issue_text(issue: Issue, *, published_on) -> IssueText:
    entries = list(issue.entries.select_related("submission").order_by("position"))
    names = departments_by_ids(
        {e.submission.department_id for e in entries} | {issue.publication.department_id}
    )
    return IssueText(
        publication=issue.publication.name,
        issue_label=issue.issue_label,
        department_name=names[issue.publication.department_id].name,
        published_on=published_on,
        editor_note=issue.editor_note,
        entries=tuple(
            EntryText(
                title=e.submission.title,
                body=e.submission.body,
                department_name=names[e.submission.department_id].short_name
                or names[e.submission.department_id].name,
            )
            for e in entries
        ),
    )


@transaction.atomic
def publish_issue(*, user_id: int, issue_id: int) -> None:
    """印发: the issue gets the next 期号 of its publication in the year and the next 总期号, and its PDF
    is made from the entries' current text (after which they are frozen). The publication row is locked
    first, so two editors publishing at once get consecutive numbers. Done twice it changes nothing."""
    probe = (
        Issue.objects.filter(pk=issue_id, publication__department_id__in=editor_department_ids(user_id))
        .values_list("publication_id", flat=True)
        .first()
    )
    if probe is None:
        raise BriefingNotFound(_("没有找到该期刊物"))
    publication = Publication.objects.select_for_update().get(pk=probe)
    issue = _editable_issue(user_id, issue_id)
    if issue.status == IssueStatus.PUBLISHED:
        return
    if not issue.entries.exists():
        raise BriefingStateError(_("本期还没有采用的信息，不能印发"), code="empty")
    now = timezone.now()
    year = timezone.localdate(now).year
    counter, _created = IssueCounter.objects.select_for_update().get_or_create(
        publication=publication, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    publication.total_issued += 1
    publication.save(update_fields=["total_issued"])
    issue.year, issue.number, issue.total_number = year, counter.last, publication.total_issued
    issue.publication = publication
    issue.status = IssueStatus.PUBLISHED
    issue.published_at, issue.published_by_id = now, user_id
    issue.pdf = render_issue(_issue_text(issue, published_on=timezone.localdate(now)))
    issue.save(
        update_fields=["year", "number", "total_number", "status", "published_at", "published_by", "pdf"]
    )


@transaction.atomic
def circulate_issue(*, user_id: int, issue_id: int, department_ids: list[int] | set[int]) -> int:
    """传阅: a published issue goes to every active staff member of the chosen departments (each once,
    however often it is sent); each sees it in 待阅 and is told. Returns how many new readers it got."""
    issue = _editable_issue(user_id, issue_id)
    if issue.status != IssueStatus.PUBLISHED:
        raise BriefingStateError(_("印发后才能传阅"), code="state")
    if not department_ids:
        raise BriefingError(_("请选择传阅单位"), code="departments")
    already = set(issue.circulations.values_list("reader_id", flat=True))
    now = timezone.now()
    rows = []
    for department_id in sorted(set(department_ids)):
        department_ref(department_id)  # an unknown id is a programming error: DoesNotExist
        for reader_id in sorted(staff_ids_in_department(department_id) - already):
            already.add(reader_id)
            rows.append(
                IssueCirculation(
                    issue=issue,
                    reader_id=reader_id,
                    department_id=department_id,
                    sent_by_id=user_id,
                    sent_at=now,
                )
            )
    IssueCirculation.objects.bulk_create(rows)
    link = reverse("briefings:read", args=[issue.pk])
    for row in rows:
        notify(
            user_id=row.reader_id,
            title=_("请阅：《%(publication)s》%(label)s")
            % {"publication": issue.publication.name, "label": issue.issue_label},
            body=_("信息刊物已送您传阅，请在待阅中查看。"),
            link=link,
            key=f"briefing-issue:{issue.pk}:{row.reader_id}",
        )
    return len(rows)


@transaction.atomic
def mark_issue_read(*, user_id: int, issue_id: int) -> bool:
    """The read receipt: the first time a reader opens an issue circulated to them. Returns whether this
    opening was the first (later openings keep the first time)."""
    updated = IssueCirculation.objects.filter(
        issue_id=issue_id, reader_id=user_id, read_at__isnull=True
    ).update(read_at=timezone.now())
    return updated > 0
