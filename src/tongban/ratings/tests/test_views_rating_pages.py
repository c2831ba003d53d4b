"""The applicant's side of 好差评: the rating page is theirs alone, the 评价 link goes once rated, and
their application page shows the rating with its 整改结果 and 回访."""

import re

import pytest
from conftest import PASSWORD
from django.urls import reverse
from django.utils import timezone

from tongban.accounts.services import ensure_user
from tongban.applications import services as applications
from tongban.applications.tests.factories import draft_with_materials
from tongban.core.models import AuditEvent
from tongban.ratings.models import Rating, Rectification
from tongban.ratings.services import (
    close_rectification,
    rate_application,
    record_follow_up,
    reply_to_rectification,
)
from tongban.ratings.tests.factories import BAD

ANSWERS = {"level": 5, "efficiency": 5, "guide_accuracy": 4, "convenience": 5, "platform_usability": 4}


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def other_client(client, db):
    ensure_user(username="citizen_b", full_name="李四", kind="citizen", password=PASSWORD)
    client.login(username="citizen_b", password=PASSWORD)
    return client


def test_T_B1_another_persons_rating_page_is_a_404(other_client, finished):
    url = reverse("ratings:rate", args=[finished])
    assert other_client.get(url).status_code == 404
    assert other_client.post(url, ANSWERS).status_code == 404
    assert Rating.objects.count() == 0
    assert (
        AuditEvent.objects.filter(event="rating.open", object_id=str(finished), result="denied").count() == 2
    )


def test_an_unknown_applications_rating_page_is_a_404(client, citizen, finished):
    client.login(username="citizen_a", password=PASSWORD)
    url = reverse("ratings:rate", args=[finished + 1000])
    assert client.get(url).status_code == 404
    assert client.post(url, ANSWERS).status_code == 404
    assert Rating.objects.count() == 0


def test_the_rating_link_goes_once_rated(client, citizen, finished):
    client.login(username="citizen_a", password=PASSWORD)
    rate_url = reverse("ratings:rate", args=[finished])
    link = f'href="{rate_url}"'
    mine, detail = reverse("applications:mine"), reverse("applications:detail", args=[finished])
    assert link in client.get(mine).content.decode()
    assert link in client.get(detail).content.decode()
    assert client.post(rate_url, ANSWERS).status_code == 302
    assert link not in client.get(mine).content.decode()
    page = client.get(detail)
    assert link not in page.content.decode()
    assert "我的评价 总体评价 非常满意" in _text(page)
    # The page itself now sends the applicant to the application, and a second answer is not taken.
    again = client.get(rate_url)
    assert (again.status_code, again["Location"]) == (302, detail)
    client.post(rate_url, ANSWERS | {"level": 1, "comment": "改主意了"})
    assert list(Rating.objects.values_list("level", flat=True)) == [5]


def test_an_unfinished_application_has_no_rating_link(client, citizen, item):
    application_id = draft_with_materials(applicant_id=citizen.id, item=item)
    applications.submit_application(application_id=application_id, applicant_id=citizen.id)
    client.login(username="citizen_a", password=PASSWORD)
    rate_url = reverse("ratings:rate", args=[application_id])
    assert rate_url not in client.get(reverse("applications:mine")).content.decode()
    assert rate_url not in client.get(reverse("applications:detail", args=[application_id])).content.decode()
    assert client.get(rate_url).status_code == 302


def test_the_applicant_sees_the_rectification_and_its_follow_up(client, citizen, finished, clerk):
    rate_application(application_id=finished, rater_id=citizen.id, answers=BAD)
    rectification_id = Rectification.objects.get().pk
    client.login(username="citizen_a", password=PASSWORD)
    detail = reverse("applications:detail", args=[finished])
    assert "整改状态 待整改 整改结果 办理部门正在整改，整改后会回访您。" in _text(client.get(detail))
    reply_to_rectification(
        rectification_id=rectification_id, staff_id=clerk.id, text="已约谈窗口人员并书面致歉"
    )
    record_follow_up(
        rectification_id=rectification_id,
        staff_id=clerk.id,
        result="satisfied",
        contacted_on=timezone.localdate(),
        note="staff-only remark",
    )
    close_rectification(rectification_id=rectification_id, staff_id=clerk.id)
    text = _text(client.get(detail))
    today = timezone.localdate()
    assert "我的评价 总体评价 非常不满意" in text
    assert "评价内容 窗口推诿" in text
    assert (
        f"整改状态 已办结 整改结果 已约谈窗口人员并书面致歉（{today.year}年{today.month}月{today.day}日）"
        in text
    )
    assert f"回访 {today.year}年{today.month}月{today.day}日回访，您的意见：满意" in text
    assert "staff-only remark" not in text
