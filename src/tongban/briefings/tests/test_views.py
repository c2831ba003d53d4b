from conftest import make_staff
from django.test import Client
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.briefings.models import Submission
from tongban.briefings.services import issues
from tongban.briefings.tests.helpers import adopt_into_new_issue, submit
from tongban.core.models import AuditEvent

LIST_QUERIES = 14


def _client(user) -> Client:
    client = Client()
    login_staff(client, user)
    return client


def test_T_B3_a_reporter_of_another_unit_gets_404_and_the_refusal_is_audited(
    reporter, market, teacher_reporter, publication
):
    submission_id = submit(reporter, market, publication)
    response = _client(teacher_reporter).get(reverse("briefings:submission", args=[submission_id]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        event="briefing.view", object_id=str(submission_id), actor_id=teacher_reporter.id, result="denied"
    ).exists()
    listing = _client(teacher_reporter).get(reverse("briefings:list")).content.decode()
    assert "市场监管局推行" not in listing


def test_T_B3_an_issue_not_circulated_to_me_is_404(reporter, market, editor, education, publication):
    outsider = make_staff("outsider", education, "clerk")
    issue_id = adopt_into_new_issue(editor, submit(reporter, market, publication), publication)
    issues.publish_issue(user_id=editor.id, issue_id=issue_id)
    client = _client(outsider)
    assert client.get(reverse("briefings:read", args=[issue_id])).status_code == 404
    assert client.get(reverse("briefings:pdf", args=[issue_id])).status_code == 404
    assert client.get(reverse("briefings:issue", args=[issue_id])).status_code == 404
    issues.circulate_issue(user_id=editor.id, issue_id=issue_id, department_ids=[education.pk])
    page = client.get(reverse("briefings:read", args=[issue_id]))
    assert page.status_code == 200
    assert "2026年第1期" in page.content.decode() or "第1期" in page.content.decode()
    assert client.get(reverse("briefings:issue", args=[issue_id])).status_code == 404  # not the editor's page


def test_staff_without_a_briefing_role_cannot_open_the_list(education):
    clerk = make_staff("plain", education, "clerk")
    assert _client(clerk).get(reverse("briefings:list")).status_code == 404
    assert _client(clerk).get(reverse("briefings:new")).status_code == 404


def test_an_empty_submission_shows_the_error_summary_and_keeps_the_answers(reporter, market, publication):
    response = _client(reporter).post(
        reverse("briefings:new"),
        {
            "idempotency_key": "k",
            "department": market.pk,
            "publication": publication,
            "title": "",
            "kind": "",
            "urgency": "urgent",
            "body": "保留的正文",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "请修改以下问题" in html
    assert '<a href="#id_title">请输入标题</a>' in html
    assert '<a href="#id_kind">请选择信息类型</a>' in html
    assert "保留的正文" in html
    assert Submission.objects.count() == 0


def test_a_posted_submission_twice_makes_one(reporter, market, publication):
    data = {
        "idempotency_key": "same",
        "department": market.pk,
        "publication": publication,
        "title": "标题",
        "kind": "news",
        "urgency": "normal",
        "body": "正文",
    }
    client = _client(reporter)
    first = client.post(reverse("briefings:new"), data)
    second = client.post(reverse("briefings:new"), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Submission.objects.count() == 1


def test_return_without_a_reason_is_refused_on_the_page(reporter, market, editor, publication):
    submission_id = submit(reporter, market, publication)
    response = _client(editor).post(reverse("briefings:return", args=[submission_id]), {"return-reason": ""})
    assert response.status_code == 400
    assert '<a href="#id_return-reason">请输入意见</a>' in response.content.decode()
    assert Submission.objects.get(pk=submission_id).status == "submitted"


def test_the_editor_list_costs_the_same_queries_for_one_row_as_for_four(
    reporter, market, editor, publication, django_assert_num_queries
):
    client = _client(editor)
    submit(reporter, market, publication, title="信息甲")
    client.get(reverse("briefings:list"))  # the session's first page
    # The session, user and the staff shell (its roles and navigation counts), the viewer's roles, the
    # rows and their units: the same for any number of rows.
    with django_assert_num_queries(LIST_QUERIES):
        first = client.get(reverse("briefings:list"))
    for title in ("信息乙", "信息丙", "信息丁"):
        submit(reporter, market, publication, title=title)
    with django_assert_num_queries(LIST_QUERIES):
        second = client.get(reverse("briefings:list"))
    assert (
        first.content.decode().count('href="/staff/briefings/')
        - second.content.decode().count('href="/staff/briefings/')
        == -3
    )


def test_the_ranking_exports_csv(reporter, market, editor, publication):
    adopt_into_new_issue(editor, submit(reporter, market, publication), publication)
    from django.utils import timezone

    today = timezone.localdate()
    response = _client(editor).get(
        reverse("briefings:ranking_export") + f"?period=year&year={today.year}&index=1"
    )
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1:] == ["名次,报送单位,报送条数,采用条数,得分", "1,云州市市场监督管理局,1,1,2.0"]


def test_adopting_into_an_issue_already_published_is_refused_on_the_page(
    reporter, market, editor, publication
):
    published = adopt_into_new_issue(editor, submit(reporter, market, publication, title="旧"), publication)
    issues.publish_issue(user_id=editor.id, issue_id=published)
    submission_id = submit(reporter, market, publication, title="新")
    response = _client(editor).post(
        reverse("briefings:adopt", args=[submission_id]), {"issue": str(published)}
    )
    assert response.status_code == 400
    assert '<a href="#id_issue">请选择采用到哪一期</a>' in response.content.decode()
    assert Submission.objects.get(pk=submission_id).status == "submitted"
