import io

import pytest
import time_machine
from conftest import make_staff
from pypdf import PdfReader

from tongban.briefings.errors import BriefingStateError
from tongban.briefings.models import Issue, IssueCirculation
from tongban.briefings.selectors import receipts, unread_issue_rows
from tongban.briefings.services import issues, submissions
from tongban.briefings.tests.helpers import adopt_into_new_issue, submit
from tongban.core.counting import count_one


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@time_machine.travel("2026-12-07 10:00 +0800", tick=False)
def test_publishing_numbers_the_issue_per_year_and_overall_and_makes_its_pdf(
    reporter, market, editor, publication
):
    first = submit(
        reporter, market, publication, title="市场监管局推行证照分离", body="全市新增市场主体一千户。"
    )
    second = submit(reporter, market, publication, title="食品安全宣传周启动")
    issue_id = adopt_into_new_issue(editor, first, publication)
    submissions.adopt_submission(user_id=editor.id, submission_id=second, issue_id=issue_id)
    issues.set_editor_note(user_id=editor.id, issue_id=issue_id, note="请各地学习借鉴。")
    entries = list(Issue.objects.get(pk=issue_id).entries.order_by("position"))
    issues.move_entry(user_id=editor.id, issue_id=issue_id, entry_id=entries[1].pk, up=True)
    issues.publish_issue(user_id=editor.id, issue_id=issue_id)
    issues.publish_issue(user_id=editor.id, issue_id=issue_id)  # a retry: the same number
    issue = Issue.objects.get(pk=issue_id)
    assert (issue.status, issue.year, issue.number, issue.total_number) == ("published", 2026, 1, 1)
    text = _text(bytes(issue.pdf))
    assert "云州政务信息" in text
    assert "2026年第1期（总第1期）" in text
    assert "云州市人民政府办公室编印" in text
    assert "2026年12月7日" in text
    assert "请各地学习借鉴。" in text
    assert text.index("食品安全宣传周启动") < text.index("市场监管局推行证照分离")
    assert "全市新增市场主体一千户。" in text
    with pytest.raises(BriefingStateError):
        submissions.edit_submission(user_id=editor.id, submission_id=first, title="改", body="改")

    third = submit(reporter, market, publication, title="第三条")
    next_issue = adopt_into_new_issue(editor, third, publication)
    issues.publish_issue(user_id=editor.id, issue_id=next_issue)
    assert Issue.objects.get(pk=next_issue).issue_label == "2026年第2期（总第2期）"
    with time_machine.travel("2027-01-05 10:00 +0800", tick=False):
        fourth = submit(reporter, market, publication, title="第四条")
        new_year = adopt_into_new_issue(editor, fourth, publication)
        issues.publish_issue(user_id=editor.id, issue_id=new_year)
    assert Issue.objects.get(pk=new_year).issue_label == "2027年第1期（总第3期）"


def test_an_empty_issue_is_not_published(editor, publication):
    issue_id = issues.create_issue(user_id=editor.id, publication_id=publication)
    with pytest.raises(BriefingStateError, match="本期还没有采用的信息"):
        issues.publish_issue(user_id=editor.id, issue_id=issue_id)
    assert Issue.objects.get(pk=issue_id).number is None


def test_circulation_reaches_each_reader_once_and_records_the_first_reading(
    reporter, market, education, editor, publication
):
    reader = make_staff("teacher", education, "clerk")
    issue_id = adopt_into_new_issue(editor, submit(reporter, market, publication), publication)
    with pytest.raises(BriefingStateError):
        issues.circulate_issue(user_id=editor.id, issue_id=issue_id, department_ids=[education.pk])
    issues.publish_issue(user_id=editor.id, issue_id=issue_id)
    assert (
        issues.circulate_issue(user_id=editor.id, issue_id=issue_id, department_ids=[education.pk, market.pk])
        == 2
    )
    assert issues.circulate_issue(user_id=editor.id, issue_id=issue_id, department_ids=[education.pk]) == 0
    assert count_one(unread_issue_rows(reader.id)) == 1
    with time_machine.travel("2026-12-08 09:30 +0800", tick=False):
        assert issues.mark_issue_read(user_id=reader.id, issue_id=issue_id) is True
    with time_machine.travel("2026-12-09 09:30 +0800", tick=False):
        assert issues.mark_issue_read(user_id=reader.id, issue_id=issue_id) is False
    assert count_one(unread_issue_rows(reader.id)) == 0
    rows = receipts(issue_id)
    assert [(r.reader_name, r.department_name, r.read_at is not None) for r in rows] == [
        ("market_reporter", "市市场监管局", False),
        ("teacher", "市教育局", True),
    ]
    assert (
        IssueCirculation.objects.get(reader_id=reader.id).read_at.isoformat() == "2026-12-08T01:30:00+00:00"
    )
