"""Driving 信息 through the services the way the pages do."""

import uuid

from tongban.briefings.services import issues, submissions


def submit(
    reporter, department, publication_id, *, title="市场监管局推行“证照分离”改革", body="第一段。\n第二段。"
):
    return submissions.submit_submission(
        user_id=reporter.id,
        department_id=department.pk,
        publication_id=publication_id,
        title=title,
        body=body,
        kind="news",
        urgency="normal",
        idempotency_key=uuid.uuid4().hex,
    )


def adopt_into_new_issue(editor, submission_id, publication_id):
    issue_id = issues.create_issue(user_id=editor.id, publication_id=publication_id)
    submissions.adopt_submission(user_id=editor.id, submission_id=submission_id, issue_id=issue_id)
    return issue_id
