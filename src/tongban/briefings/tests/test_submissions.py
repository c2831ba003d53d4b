import pytest

from tongban.briefings.errors import BriefingError, BriefingNotFound, BriefingStateError
from tongban.briefings.models import Adoption, IssueEntry, Submission, SubmissionVersion
from tongban.briefings.services import submissions
from tongban.briefings.tests.helpers import adopt_into_new_issue, submit
from tongban.notifications.models import Notification


def test_a_retried_submission_makes_no_second_one(reporter, market, publication):
    kwargs = dict(
        user_id=reporter.id,
        department_id=market.pk,
        publication_id=publication,
        title="标题",
        body="正文",
        kind="news",
        urgency="urgent",
        idempotency_key="k1",
    )
    first = submissions.submit_submission(**kwargs)
    second = submissions.submit_submission(**kwargs)
    assert first == second
    assert Submission.objects.count() == 1
    assert list(SubmissionVersion.objects.values_list("number", "author_kind", "title")) == [
        (1, "reporter", "标题")
    ]


def test_only_a_reporter_of_the_unit_may_submit(reporter, education, editor, office, publication):
    with pytest.raises(BriefingNotFound):
        submit(reporter, education, publication)
    with pytest.raises(BriefingNotFound):
        submit(editor, office, publication)  # an editor is not the unit's 信息员
    assert Submission.objects.count() == 0


def test_an_empty_title_is_refused(reporter, market, publication):
    with pytest.raises(BriefingError, match="请输入标题"):
        submit(reporter, market, publication, title="  ")
    assert Submission.objects.count() == 0


def test_adopt_records_the_issue_level_with_its_points_and_tells_the_reporter(
    reporter, market, editor, publication
):
    submission_id = submit(reporter, market, publication)
    issue_id = adopt_into_new_issue(editor, submission_id, publication)
    submission = Submission.objects.get(pk=submission_id)
    assert submission.status == "adopted"
    assert IssueEntry.objects.get(submission_id=submission_id).issue_id == issue_id
    assert list(Adoption.objects.values_list("level__code", "points", "department_id")) == [
        ("city", 2, market.pk)
    ]
    note = Notification.objects.get(recipient_id=reporter.id)
    assert note.title == "信息已采用：市场监管局推行“证照分离”改革"
    # Again: nothing more.
    submissions.adopt_submission(user_id=editor.id, submission_id=submission_id, issue_id=issue_id)
    assert Adoption.objects.count() == 1
    assert Notification.objects.filter(recipient_id=reporter.id).count() == 1


def test_return_then_resubmit_keeps_every_version_and_the_editor_edit_keeps_the_original(
    reporter, market, editor, publication
):
    submission_id = submit(reporter, market, publication, title="初稿", body="原文")
    submissions.return_submission(user_id=editor.id, submission_id=submission_id, reason="补充数据")
    assert Submission.objects.get(pk=submission_id).status == "returned"
    assert Notification.objects.get(recipient_id=reporter.id).body == "退修意见：补充数据。请修改后重新报送。"
    submissions.resubmit_submission(
        user_id=reporter.id, submission_id=submission_id, title="二稿", body="补充了数据"
    )
    submissions.resubmit_submission(
        user_id=reporter.id, submission_id=submission_id, title="二稿", body="补充了数据"
    )
    submissions.edit_submission(user_id=editor.id, submission_id=submission_id, title="编辑稿", body="精简后")
    submission = Submission.objects.get(pk=submission_id)
    assert (submission.status, submission.title, submission.body) == ("submitted", "编辑稿", "精简后")
    assert list(submission.versions.values_list("number", "author_kind", "title", "body")) == [
        (1, "reporter", "初稿", "原文"),
        (2, "reporter", "二稿", "补充了数据"),
        (3, "editor", "编辑稿", "精简后"),
    ]


def test_a_reporter_cannot_resubmit_what_was_not_returned(reporter, market, publication):
    submission_id = submit(reporter, market, publication, title="初稿")
    with pytest.raises(BriefingStateError):
        submissions.resubmit_submission(
            user_id=reporter.id, submission_id=submission_id, title="改", body="改"
        )
    assert Submission.objects.get(pk=submission_id).title == "初稿"


def test_reject_needs_a_reason_and_tells_the_reporter(reporter, market, editor, publication):
    submission_id = submit(reporter, market, publication)
    with pytest.raises(BriefingError, match="请输入不采用的理由"):
        submissions.reject_submission(user_id=editor.id, submission_id=submission_id, reason=" ")
    assert Submission.objects.get(pk=submission_id).status == "submitted"
    submissions.reject_submission(user_id=editor.id, submission_id=submission_id, reason="内容重复")
    assert Submission.objects.get(pk=submission_id).status == "rejected"
    assert (
        Notification.objects.get(recipient_id=reporter.id).title == "信息未采用：市场监管局推行“证照分离”改革"
    )


def test_a_reporter_cannot_decide(reporter, market, publication):
    submission_id = submit(reporter, market, publication)
    with pytest.raises(BriefingNotFound):
        submissions.reject_submission(user_id=reporter.id, submission_id=submission_id, reason="x")
    assert Submission.objects.get(pk=submission_id).status == "submitted"


def test_higher_levels_are_recorded_once_with_evidence(reporter, market, editor, publication):
    from tongban.briefings.models import ScoringLevel

    submission_id = submit(reporter, market, publication)
    adopt_into_new_issue(editor, submission_id, publication)
    province = ScoringLevel.objects.get(code="province")
    with pytest.raises(BriefingError, match="请输入依据"):
        submissions.record_adoption(
            user_id=editor.id, submission_id=submission_id, level_id=province.pk, evidence=""
        )
    submissions.record_adoption(
        user_id=editor.id, submission_id=submission_id, level_id=province.pk, evidence="《浙江信息》第3期"
    )
    with pytest.raises(BriefingStateError):
        submissions.record_adoption(
            user_id=editor.id, submission_id=submission_id, level_id=province.pk, evidence="x"
        )
    assert list(Adoption.objects.order_by("id").values_list("level__code", "points", "evidence")) == [
        ("city", 2, "云州政务信息"),
        ("province", 5, "《浙江信息》第3期"),
    ]
