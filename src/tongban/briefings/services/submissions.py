"""报送, 退修 and 重报 of a 信息, and what an editor decides: 采用 into an issue, 不采用, 退修, edits, and
later 采用 levels (被省采用, 领导批示 …) recorded with their evidence."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.briefings.access import editor_department_ids, reporter_department_ids
from tongban.briefings.errors import BriefingError, BriefingNotFound, BriefingStateError
from tongban.briefings.models import (
    Adoption,
    Issue,
    IssueEntry,
    IssueStatus,
    Kind,
    Publication,
    ScoringLevel,
    Submission,
    SubmissionAttachment,
    SubmissionStatus,
    SubmissionVersion,
    Urgency,
    VersionAuthor,
)
from tongban.briefings.roles import BRIEFING_EDITOR
from tongban.core.uploads import CheckedUpload
from tongban.notifications.services import notify
from tongban.organizations.selectors import staff_ids_with_role

MAX_ATTACHMENTS = 5


def _check_text(*, title: str, body: str) -> tuple[str, str]:
    title, body = title.strip(), body.strip()
    if not title:
        raise BriefingError(_("请输入标题"), code="title")
    if not body:
        raise BriefingError(_("请输入正文"), code="body")
    return title, body


def _add_version(submission: Submission, *, author_kind: str, user_id: int, now) -> None:
    last = submission.versions.aggregate(last=Max("number"))["last"] or 0
    SubmissionVersion.objects.create(
        submission=submission,
        number=last + 1,
        author_kind=author_kind,
        author_id=user_id,
        title=submission.title,
        body=submission.body,
        saved_at=now,
    )


def submit_submission(
    *,
    user_id: int,
    department_id: int,
    publication_id: int,
    title: str,
    body: str,
    kind: str,
    urgency: str,
    attachments: list[CheckedUpload] | tuple[CheckedUpload, ...] = (),
    idempotency_key: str,
) -> int:
    """报送: a 信息员 sends a 信息 for their department to a publication. Only a 信息员 of that department
    may (BriefingNotFound otherwise). Sent again with the same ``idempotency_key`` (a retried form) it
    returns the 信息 already made. Returns its id."""
    if not idempotency_key:
        raise ValueError("idempotency_key is required")
    existing = Submission.objects.filter(reporter_id=user_id, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing.pk
    if department_id not in reporter_department_ids(user_id):
        raise BriefingNotFound(_("您不是该单位的信息员"))
    if not Publication.objects.filter(pk=publication_id, is_active=True).exists():
        raise BriefingError(_("请选择报送刊物"), code="publication")
    title, body = _check_text(title=title, body=body)
    if kind not in Kind.values:
        raise BriefingError(_("请选择信息类型"), code="kind")
    if urgency not in Urgency.values:
        raise BriefingError(_("请选择紧急程度"), code="urgency")
    if len(attachments) > MAX_ATTACHMENTS:
        raise BriefingError(_("附件最多%(count)s个") % {"count": MAX_ATTACHMENTS}, code="attachments")
    now = timezone.now()
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                publication_id=publication_id,
                department_id=department_id,
                reporter_id=user_id,
                title=title,
                body=body,
                kind=kind,
                urgency=urgency,
                submitted_at=now,
                idempotency_key=idempotency_key,
            )
            _add_version(submission, author_kind=VersionAuthor.REPORTER, user_id=user_id, now=now)
            SubmissionAttachment.objects.bulk_create(
                SubmissionAttachment(
                    submission=submission,
                    name=a.display_name,
                    mime_type=a.mime_type,
                    size=a.size,
                    sha256=a.sha256,
                    content=a.content,
                    uploaded_at=now,
                )
                for a in attachments
            )
    except IntegrityError:
        # A concurrent retry of the same form won the race: its 信息 is this one.
        return Submission.objects.get(reporter_id=user_id, idempotency_key=idempotency_key).pk
    _tell_editors(submission, event="submitted")
    return submission.pk


def _locked_submission(submission_id: int) -> Submission:
    submission = (
        Submission.objects.select_for_update().select_related("publication").filter(pk=submission_id).first()
    )
    if submission is None:
        raise BriefingNotFound(_("没有找到该信息"))
    return submission


def _as_editor(user_id: int, submission: Submission) -> None:
    if submission.publication.department_id not in editor_department_ids(user_id):
        raise BriefingNotFound(_("没有找到该信息"))


def _tell_editors(submission: Submission, *, event: str) -> None:
    """A 信息 waits for them: the 信息编辑 of the publication's department are told."""
    for editor_id in staff_ids_with_role(
        department_id=submission.publication.department_id, role=BRIEFING_EDITOR
    ):
        notify(
            user_id=editor_id,
            title=_("待审核信息：%(title)s") % {"title": submission.title},
            body=_("有信息报送到《%(publication)s》，请审核。")
            % {"publication": submission.publication.name},
            link=reverse("briefings:submission", args=[submission.pk]),
            key=f"briefing:{submission.pk}:{event}:{editor_id}",
        )


def _tell_reporter(submission: Submission, *, event: str, title: str, body: str) -> None:
    notify(
        user_id=submission.reporter_id,
        title=title,
        body=body,
        link=reverse("briefings:submission", args=[submission.pk]),
        key=f"briefing:{submission.pk}:{event}",
    )


@transaction.atomic
def resubmit_submission(*, user_id: int, submission_id: int, title: str, body: str) -> None:
    """重报 after 退修: a 信息员 of the 信息's department sends a revised text (a new reporter version);
    it waits for the editor again. A retry of the same text after it went is a no-op."""
    submission = _locked_submission(submission_id)
    if submission.department_id not in reporter_department_ids(user_id):
        raise BriefingNotFound(_("没有找到该信息"))
    title, body = _check_text(title=title, body=body)
    if submission.status == SubmissionStatus.SUBMITTED and (submission.title, submission.body) == (
        title,
        body,
    ):
        return
    if submission.status != SubmissionStatus.RETURNED:
        raise BriefingStateError(_("只有退修的信息可以修改后重新报送"), code="state")
    submission.title, submission.body = title, body
    submission.status = SubmissionStatus.SUBMITTED
    submission.decided_at, submission.decided_by_id = None, None
    submission.save(update_fields=["title", "body", "status", "decided_at", "decided_by"])
    _add_version(submission, author_kind=VersionAuthor.REPORTER, user_id=user_id, now=timezone.now())
    _tell_editors(submission, event=f"resubmitted:{submission.versions.count()}")


@transaction.atomic
def edit_submission(*, user_id: int, submission_id: int, title: str, body: str) -> None:
    """编辑修改: an editor changes the text of a 信息 waiting for a decision or adopted into an issue not
    yet 印发. The reporter's text stays as its version; the edit is a new editor version."""
    submission = _locked_submission(submission_id)
    _as_editor(user_id, submission)
    title, body = _check_text(title=title, body=body)
    if submission.status == SubmissionStatus.ADOPTED:
        if Issue.objects.filter(entries__submission=submission, status=IssueStatus.PUBLISHED).exists():
            raise BriefingStateError(_("该信息所在的刊物已印发，不能再修改"), code="state")
    elif submission.status != SubmissionStatus.SUBMITTED:
        raise BriefingStateError(_("该信息已处理，不能再修改"), code="state")
    if (submission.title, submission.body) == (title, body):
        return
    submission.title, submission.body = title, body
    submission.save(update_fields=["title", "body"])
    _add_version(submission, author_kind=VersionAuthor.EDITOR, user_id=user_id, now=timezone.now())


def _issue_level() -> ScoringLevel:
    level = ScoringLevel.objects.filter(is_issue_level=True).first()
    if level is None:  # the seed migration makes one; an emptied table is a set-up error
        raise BriefingError(_("尚未设置本刊采用的计分级别"), code="level")
    return level


def _record(submission: Submission, level: ScoringLevel, *, user_id: int, evidence: str, now) -> None:
    Adoption.objects.create(
        submission=submission,
        level=level,
        points=level.points,
        department_id=submission.department_id,
        evidence=evidence,
        recorded_by_id=user_id,
        recorded_at=now,
    )


@transaction.atomic
def adopt_submission(*, user_id: int, submission_id: int, issue_id: int) -> None:
    """采用: the editor puts a waiting 信息 at the end of an issue being compiled (编辑中) of its publication,
    and the 本刊采用 level is recorded with its points as they are now. The reporter is told. Done again
    for the same issue it changes nothing."""
    submission = _locked_submission(submission_id)
    _as_editor(user_id, submission)
    issue = (
        Issue.objects.select_for_update()
        .filter(pk=issue_id, publication_id=submission.publication_id)
        .first()
    )
    if issue is None:
        raise BriefingError(_("请选择采用到哪一期"), code="issue")
    if (
        submission.status == SubmissionStatus.ADOPTED
        and IssueEntry.objects.filter(submission=submission, issue=issue).exists()
    ):
        return
    if submission.status != SubmissionStatus.SUBMITTED:
        raise BriefingStateError(_("只有待审核的信息可以采用"), code="state")
    if issue.status != IssueStatus.DRAFT:
        raise BriefingStateError(_("该期已印发，请选择编辑中的一期"), code="issue")
    now = timezone.now()
    last = issue.entries.aggregate(last=Max("position"))["last"] or 0
    IssueEntry.objects.create(issue=issue, submission=submission, position=last + 1)
    submission.status = SubmissionStatus.ADOPTED
    submission.decided_at, submission.decided_by_id, submission.decision_note = now, user_id, ""
    submission.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    level = _issue_level()
    _record(submission, level, user_id=user_id, evidence=str(issue.publication), now=now)
    _tell_reporter(
        submission,
        event="adopted",
        title=_("信息已采用：%(title)s") % {"title": submission.title},
        body=_("您报送的信息已被《%(publication)s》采用（%(level)s）。")
        % {"publication": issue.publication.name, "level": level.name},
    )


def _decide(*, user_id: int, submission_id: int, reason: str, status: str) -> Submission:
    submission = _locked_submission(submission_id)
    _as_editor(user_id, submission)
    reason = reason.strip()
    if not reason:
        raise BriefingError(
            _("请输入退修意见") if status == SubmissionStatus.RETURNED else _("请输入不采用的理由"),
            code="reason",
        )
    if submission.status == status and submission.decision_note == reason:
        return submission  # a retried form
    if submission.status != SubmissionStatus.SUBMITTED:
        raise BriefingStateError(_("该信息已处理"), code="state")
    submission.status = status
    submission.decided_at, submission.decided_by_id, submission.decision_note = (
        timezone.now(),
        user_id,
        reason,
    )
    submission.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    return submission


@transaction.atomic
def reject_submission(*, user_id: int, submission_id: int, reason: str) -> None:
    """不采用, with the reason the reporter is told."""
    submission = _decide(
        user_id=user_id, submission_id=submission_id, reason=reason, status=SubmissionStatus.REJECTED
    )
    _tell_reporter(
        submission,
        event="rejected",
        title=_("信息未采用：%(title)s") % {"title": submission.title},
        body=_("理由：%(reason)s") % {"reason": submission.decision_note},
    )


@transaction.atomic
def return_submission(*, user_id: int, submission_id: int, reason: str) -> None:
    """退修: back to the unit's 信息员 with what to change; they revise and send it again."""
    submission = _decide(
        user_id=user_id, submission_id=submission_id, reason=reason, status=SubmissionStatus.RETURNED
    )
    # The key counts the versions, so a second 退修 after a resubmission is told too.
    _tell_reporter(
        submission,
        event=f"returned:{submission.versions.count()}",
        title=_("信息退修：%(title)s") % {"title": submission.title},
        body=_("退修意见：%(reason)s。请修改后重新报送。") % {"reason": submission.decision_note},
    )


@transaction.atomic
def withdraw_adoption(*, user_id: int, submission_id: int) -> None:
    """撤出本期: an adopted 信息 leaves an issue still being compiled and waits again; its 本刊采用 record
    (and points) go with it."""
    submission = _locked_submission(submission_id)
    _as_editor(user_id, submission)
    entry = IssueEntry.objects.select_related("issue").filter(submission=submission).first()
    if entry is None or submission.status != SubmissionStatus.ADOPTED:
        raise BriefingStateError(_("该信息不在编辑中的刊物里"), code="state")
    if entry.issue.status != IssueStatus.DRAFT:
        raise BriefingStateError(_("该期已印发，不能撤出"), code="state")
    if submission.adoptions.filter(level__is_issue_level=False).exists():
        raise BriefingStateError(_("该信息已记录更高级别的采用，不能撤出"), code="state")
    entry.delete()
    submission.adoptions.all().delete()
    submission.status = SubmissionStatus.SUBMITTED
    submission.decided_at, submission.decided_by_id = None, None
    submission.save(update_fields=["status", "decided_at", "decided_by"])


@transaction.atomic
def record_adoption(*, user_id: int, submission_id: int, level_id: int, evidence: str) -> None:
    """记录采用级别: an editor records that an adopted 信息 went further (被省采用, 领导批示 …), with the
    evidence (the 刊物期号 or 批示件). Points are those of the level now. One record per level."""
    submission = _locked_submission(submission_id)
    _as_editor(user_id, submission)
    level = ScoringLevel.objects.filter(pk=level_id, is_active=True, is_issue_level=False).first()
    if level is None:
        raise BriefingError(_("请选择采用级别"), code="level")
    evidence = evidence.strip()
    if not evidence:
        raise BriefingError(_("请输入依据，如采用刊物期号或批示件"), code="evidence")
    if submission.status != SubmissionStatus.ADOPTED:
        raise BriefingStateError(_("只有已采用的信息可以记录更高级别的采用"), code="state")
    if submission.adoptions.filter(level=level).exists():
        raise BriefingStateError(_("该信息已记录“%(level)s”") % {"level": level.name}, code="duplicate")
    _record(submission, level, user_id=user_id, evidence=evidence, now=timezone.now())
    _tell_reporter(
        submission,
        event=f"level:{level.pk}",
        title=_("信息%(level)s：%(title)s") % {"level": level.name, "title": submission.title},
        body=_("依据：%(evidence)s") % {"evidence": evidence},
    )
