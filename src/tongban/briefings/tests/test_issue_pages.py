from decimal import Decimal

from conftest import make_staff
from django.test import Client
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.briefings.models import Issue, IssueCirculation, ScoringLevel
from tongban.briefings.services import issues
from tongban.briefings.tests.helpers import adopt_into_new_issue, submit


def _client(user) -> Client:
    client = Client()
    login_staff(client, user)
    return client


def test_the_editor_orders_notes_publishes_and_circulates_from_the_issue_page(
    reporter, market, education, editor, publication
):
    first = submit(reporter, market, publication, title="甲")
    issue_id = adopt_into_new_issue(editor, first, publication)
    second = submit(reporter, market, publication, title="乙")
    client = _client(editor)
    client.post(reverse("briefings:adopt", args=[second]), {"issue": str(issue_id)})
    issue = Issue.objects.get(pk=issue_id)
    last = issue.entries.get(submission_id=second)
    client.post(reverse("briefings:move", args=[issue_id, last.pk, "up"]))
    assert list(issue.entries.order_by("position").values_list("submission__title", flat=True)) == [
        "乙",
        "甲",
    ]
    client.post(reverse("briefings:editor_note", args=[issue_id]), {"editor_note": "  值得借鉴。 "})
    assert client.post(reverse("briefings:publish", args=[issue_id])).status_code == 302
    issue.refresh_from_db()
    assert (issue.editor_note, issue.number, issue.status) == ("值得借鉴。", 1, "published")

    refused = client.post(reverse("briefings:circulate", args=[issue_id]), {})
    assert refused.status_code == 400
    assert '<a href="#id_departments">请选择传阅单位</a>' in refused.content.decode()
    assert IssueCirculation.objects.count() == 0

    reader = make_staff("teacher", education, "clerk")
    client.post(reverse("briefings:circulate", args=[issue_id]), {"departments": [education.pk]})
    assert "未阅" in client.get(reverse("briefings:issue", args=[issue_id])).content.decode()
    reading = _client(reader)
    assert "第1期" in reading.get(reverse("briefings:reading")).content.decode()
    reading.get(reverse("briefings:read", args=[issue_id]))
    assert IssueCirculation.objects.get(reader_id=reader.id).read_at is not None
    page = client.get(reverse("briefings:issue", args=[issue_id])).content.decode()
    assert "已阅" in page


def test_a_reader_cannot_reach_the_editor_actions(reporter, market, education, editor, publication):
    issue_id = adopt_into_new_issue(editor, submit(reporter, market, publication), publication)
    reader = make_staff("teacher", education, "clerk")
    client = _client(reader)
    assert client.post(reverse("briefings:publish", args=[issue_id])).status_code == 404
    assert (
        client.post(
            reverse("briefings:circulate", args=[issue_id]), {"departments": [education.pk]}
        ).status_code
        == 404
    )
    assert Issue.objects.get(pk=issue_id).status == "draft"


def test_bad_points_show_the_error_summary_and_change_nothing(editor):
    city = ScoringLevel.objects.get(code="city")
    response = _client(editor).post(
        reverse("briefings:update_level", args=[city.pk]),
        {f"level{city.pk}-points": "abc", f"level{city.pk}-is_active": "on"},
    )
    assert response.status_code == 400
    assert f'<a href="#id_level{city.pk}-points">分值应为数字，如 2 或 2.5</a>' in response.content.decode()
    city.refresh_from_db()
    assert city.points == Decimal("2.0")


def test_a_reporter_cannot_open_the_scoring_settings(reporter):
    assert _client(reporter).get(reverse("briefings:scoring")).status_code == 404
    assert _client(reporter).get(reverse("briefings:ranking")).status_code == 200


def test_create_issue_reuses_an_empty_draft(editor, publication):
    first = issues.create_issue(user_id=editor.id, publication_id=publication)
    assert issues.create_issue(user_id=editor.id, publication_id=publication) == first
    assert Issue.objects.count() == 1
