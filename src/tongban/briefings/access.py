"""Who sees which 信息 and issue (department isolation, T-B3):

- a 信息员 sees the 信息 of the departments where they hold the role (their unit's, whoever submitted);
- a 信息编辑 sees every 信息 submitted to the publications of the departments where they hold the role,
  and those publications' issues;
- anyone sees a published issue circulated to them (传阅).

Everything else answers None, which views turn into a 404 and an audit row."""

from __future__ import annotations

from django.db.models import Q

from tongban.briefings.models import Issue, IssueStatus, Submission
from tongban.briefings.roles import BRIEFING_EDITOR, BRIEFING_REPORTER
from tongban.organizations.selectors import department_ids_for


def reporter_department_ids(user_id: int) -> set[int]:
    return department_ids_for(user_id=user_id, role=BRIEFING_REPORTER)


def editor_department_ids(user_id: int) -> set[int]:
    return department_ids_for(user_id=user_id, role=BRIEFING_EDITOR)


def submissions_visible_to(user_id: int):
    """The 信息 the user may read: their units' as 信息员, their publications' as 信息编辑."""
    return Submission.objects.filter(
        Q(department_id__in=reporter_department_ids(user_id))
        | Q(publication__department_id__in=editor_department_ids(user_id))
    )


def get_submission_for(user_id: int, submission_id: int) -> Submission | None:
    return (
        submissions_visible_to(user_id)
        .select_related("publication", "reporter", "decided_by")
        .filter(pk=submission_id)
        .first()
    )


def is_editor_of(user_id: int, submission: Submission) -> bool:
    return submission.publication.department_id in editor_department_ids(user_id)


def is_reporter_of(user_id: int, submission: Submission) -> bool:
    return submission.department_id in reporter_department_ids(user_id)


def get_issue_for_editor(user_id: int, issue_id: int) -> Issue | None:
    return (
        Issue.objects.select_related("publication")
        .filter(pk=issue_id, publication__department_id__in=editor_department_ids(user_id))
        .first()
    )


def get_issue_for_reader(user_id: int, issue_id: int) -> Issue | None:
    """A published issue circulated to the user, or any issue of their publications for an editor."""
    return (
        Issue.objects.select_related("publication")
        .filter(pk=issue_id)
        .filter(
            Q(publication__department_id__in=editor_department_ids(user_id))
            | Q(status=IssueStatus.PUBLISHED, circulations__reader_id=user_id)
        )
        .distinct()
        .first()
    )
