"""差评整改 in the workbench: the list and its tabs, the page with the rating, case and rater, the
steps through forms, and overdue rectifications on the supervision board; scoped and audited."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from conftest import make_staff
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tongban.accounts.tests.helpers import login_staff
from tongban.applications.selectors import application_ref
from tongban.applications.tests.factories import pdf_bytes
from tongban.core.models import AuditEvent
from tongban.ratings.models import Rectification, RectificationAttachment
from tongban.ratings.services import close_rectification, record_follow_up, reply_to_rectification
from tongban.ratings.tests.factories import attachment, finished_application, open_rectification

SHANGHAI = ZoneInfo("Asia/Shanghai")
RATED = dt.datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)  # a Monday: due 15 working days later, 11-23
DUE_DAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
TWO_DAYS_LATE = dt.datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def late(citizen, item, clerk):
    """A bad rating given on RATED: (rectification id, application number, application id)."""
    with time_machine.travel(RATED, tick=False):
        application_id = finished_application(applicant_id=citizen.id, item=item, clerk_id=clerk.id)
        rectification_id = open_rectification(applicant_id=citizen.id, application_id=application_id)
    assert Rectification.objects.get(pk=rectification_id).due_date == dt.date(2026, 11, 23)
    return rectification_id, application_ref(application_id).number, application_id


def _page(client, user, url, when=TWO_DAYS_LATE):
    with time_machine.travel(when, tick=False):
        login_staff(client, user)
        return client.get(url)


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _state(rectification_id):
    row = Rectification.objects.get(pk=rectification_id)
    return row.status, row.replies.count(), row.follow_ups.count()


def test_the_department_lists_its_rectifications_by_tab(client, late, clerk):
    rectification_id, number, _application_id = late
    page = _page(client, clerk, reverse("ratings:staff_list"))
    assert page.status_code == 200
    text = _text(page)
    assert "未办结（1） 已超期（1） 待整改（1） 待回访（0） 待办结（0） 已办结（0）" in text
    assert f"{number} 锦江区市场监管局 非常不满意 2026年11月23日（已超期2个工作日） 待整改 红牌超期" in text
    assert reverse("ratings:staff_detail", args=[rectification_id]) in page.content.decode()
    assert number not in _text(_page(client, clerk, reverse("ratings:staff_list") + "?show=done"))
    on_due_day = _text(_page(client, clerk, reverse("ratings:staff_list") + "?show=overdue", when=DUE_DAY))
    assert "已超期（0）" in on_due_day
    assert number not in on_due_day


def test_T_B2_the_list_is_scoped_to_the_viewers_departments(client, late, department, other_department):
    _rectification_id, number, _application_id = late
    visible = {
        "market_supervisor": make_staff("market_supervisor", department, role="supervisor"),
        "city_supervisor": make_staff("city_supervisor", other_department, role="city_supervisor"),
    }
    for user in visible.values():
        assert number in _text(_page(client, user, reverse("ratings:staff_list")))
    civil_clerk = make_staff("civil_clerk", other_department, role="clerk")
    civil_supervisor = make_staff("civil_supervisor", other_department, role="supervisor")
    for user in (civil_clerk, civil_supervisor):
        page = _page(client, user, reverse("ratings:staff_list") + "?show=overdue")
        assert page.status_code == 200
        assert number not in _text(page)
        assert "已超期（0）" in _text(page)
    editor = make_staff("market_editor", department, role="catalog_editor")
    assert _page(client, editor, reverse("ratings:staff_list")).status_code == 404


def test_the_page_shows_the_rating_the_case_and_the_rater_and_is_audited(
    client, late, clerk, citizen, department
):
    rectification_id, number, application_id = late
    page = _page(client, clerk, reverse("ratings:staff_detail", args=[rectification_id]))
    text = _text(page)
    assert page.status_code == 200
    assert f"办件编号 {number} " in text
    assert reverse("applications:staff_case", args=[application_id]) in page.content.decode()
    assert "评价人 张三 联系电话 13800138000" in text
    assert "总体评价 非常不满意 办事效率 不满意 办事指南准确性 基本满意" in text
    assert "不满意的原因 窗口推诿" in text
    assert "整改期限 2026年11月23日（已超期2个工作日）" in text
    assert "提交整改情况" in text
    event = AuditEvent.objects.get(event="rectification.viewed")
    assert (event.actor_id, event.subject_id, event.department_id, event.result) == (
        clerk.id,
        citizen.id,
        department.pk,
        "ok",
    )


def test_a_supervisor_reads_with_the_phone_masked_and_cannot_act(client, late, department):
    rectification_id, _number, _application_id = late
    supervisor = make_staff("market_supervisor", department, role="supervisor")
    text = _text(_page(client, supervisor, reverse("ratings:staff_detail", args=[rectification_id])))
    assert "联系电话 138****8000" in text
    assert "13800138000" not in text
    assert "提交整改情况" not in text
    assert "您可以查看本整改；整改由云州市锦江区市场监督管理局办理。" in text
    with time_machine.travel(TWO_DAYS_LATE, tick=False):
        response = client.post(reverse("ratings:staff_reply", args=[rectification_id]), {"text": "已整改"})
    assert response.status_code == 404
    assert _state(rectification_id) == ("open", 0, 0)


def test_T_B3_another_departments_staff_get_404_and_it_is_audited(client, late, clerk, other_department):
    rectification_id, _number, _application_id = late
    reply_to_rectification(
        rectification_id=rectification_id,
        staff_id=clerk.id,
        text="已整改",
        files=[attachment()],
    )
    stored = RectificationAttachment.objects.get()
    outsider = make_staff("civil_clerk", other_department, role="clerk")
    urls = [
        reverse("ratings:staff_detail", args=[rectification_id]),
        reverse("ratings:staff_attachment", args=[rectification_id, stored.pk]),
    ]
    for url in urls:
        assert _page(client, outsider, url).status_code == 404
    with time_machine.travel(TWO_DAYS_LATE, tick=False):
        for action in ("staff_follow_up", "staff_close"):
            assert client.post(reverse(f"ratings:{action}", args=[rectification_id]), {}).status_code == 404
    assert _state(rectification_id) == ("replied", 1, 0)
    denied = AuditEvent.objects.filter(actor_id=outsider.id, result="denied")
    assert sorted(denied.values_list("event", flat=True)) == [
        "rectification.attachment",
        "rectification.viewed",
        "rectification.viewed",
        "rectification.viewed",
    ]
    assert not AuditEvent.objects.filter(actor_id=outsider.id, result="ok").exists()


def test_bad_input_on_the_reply_form_shows_the_error_on_the_page(client, late, clerk):
    rectification_id, _number, _application_id = late
    url = reverse("ratings:staff_reply", args=[rectification_id])
    with time_machine.travel(TWO_DAYS_LATE, tick=False):
        login_staff(client, clerk)
        empty = client.post(url, {"text": " "})
        exe = client.post(url, {"text": "已整改", "attachments": [_upload("病毒.exe", b"MZ\x90\x00")]})
    assert empty.status_code == 400
    assert '<a href="#id_text">请填写整改情况</a>' in empty.content.decode()
    assert "<title>错误：" in empty.content.decode()
    assert exe.status_code == 400
    body = exe.content.decode()
    assert '<a href="#id_attachments">“病毒.exe”：所选文件须为 PDF、JPG、PNG 或 OFD 格式</a>' in body
    assert "已整改</textarea>" in body  # the answer is kept
    assert _state(rectification_id) == ("open", 0, 0)


def _upload(name, data):
    return SimpleUploadedFile(name, data)


def test_reply_with_an_attachment_then_download_it(client, late, clerk):
    rectification_id, _number, _application_id = late
    with time_machine.travel(TWO_DAYS_LATE, tick=False):
        login_staff(client, clerk)
        response = client.post(
            reverse("ratings:staff_reply", args=[rectification_id]),
            {"text": "已约谈窗口人员", "attachments": [_upload("约谈记录.pdf", pdf_bytes("talk"))]},
        )
        assert response.status_code == 302
        stored = RectificationAttachment.objects.get()
        download = client.get(reverse("ratings:staff_attachment", args=[rectification_id, stored.pk]))
    assert download.status_code == 200
    assert download["Content-Security-Policy"] == "sandbox"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert _state(rectification_id) == ("replied", 1, 0)
    assert (
        AuditEvent.objects.filter(event="rectification.attachment", actor_id=clerk.id, result="ok").count()
        == 1
    )


def test_follow_up_and_close_through_the_page(client, late, clerk):
    rectification_id, _number, _application_id = late
    url = reverse("ratings:staff_follow_up", args=[rectification_id])
    with time_machine.travel(TWO_DAYS_LATE, tick=False):
        reply_to_rectification(rectification_id=rectification_id, staff_id=clerk.id, text="已整改")
        login_staff(client, clerk)
        form = _text(client.get(reverse("ratings:staff_detail", args=[rectification_id])))
        assert "回访评价人" in form
        missing = client.post(url, {"result": "satisfied"})
        wrong = client.post(
            url,
            {"result": "satisfied", "contacted_year": "2026", "contacted_month": "2", "contacted_day": "30"},
        )
        unsaid = client.post(
            url,
            {
                "result": "dissatisfied",
                "contacted_year": "2026",
                "contacted_month": "11",
                "contacted_day": "25",
            },
        )
        assert _state(rectification_id) == ("replied", 1, 0)
        done = client.post(
            url,
            {"result": "satisfied", "contacted_year": "2026", "contacted_month": "11", "contacted_day": "25"},
        )
        closed = client.post(reverse("ratings:staff_close", args=[rectification_id]))
    assert (missing.status_code, wrong.status_code, unsaid.status_code) == (400, 400, 400)
    assert '<a href="#id_contacted_year">请输入回访日期</a>' in missing.content.decode()
    assert "回访日期须为真实存在的日期，例如 2026年12月1日" in wrong.content.decode()
    assert '<a href="#id_note">回访结果为不满意时，请写明群众反映的情况</a>' in unsaid.content.decode()
    assert (done.status_code, closed.status_code) == (302, 302)
    row = Rectification.objects.get(pk=rectification_id)
    assert (row.status, row.closed_by_id) == ("done", clerk.id)
    [follow_up] = row.follow_ups.all()
    assert (follow_up.result, follow_up.contacted_on) == ("satisfied", dt.date(2026, 11, 25))


def test_closing_out_of_turn_shows_why(client, late, clerk):
    rectification_id, _number, _application_id = late
    with time_machine.travel(TWO_DAYS_LATE, tick=False):
        login_staff(client, clerk)
        response = client.post(reverse("ratings:staff_close", args=[rectification_id]))
    assert response.status_code == 409
    assert '<a href="#actions">回访后才能办结。</a>' in response.content.decode()
    assert _state(rectification_id) == ("open", 0, 0)


def test_overdue_rectifications_appear_on_the_supervision_board(
    client, late, clerk, department, other_department
):
    rectification_id, number, _application_id = late
    supervisor = make_staff("market_supervisor", department, role="supervisor")
    board = reverse("supervision:board")
    assert "差评整改超期（0）" in _text(_page(client, supervisor, board, when=DUE_DAY))
    text = _text(_page(client, supervisor, board))
    assert (
        f"差评整改超期（1） 超期未办结的差评整改 办件编号 整改部门 整改期限 状态 {number} 锦江区市场监管局 2026年11月23日（已超期2个工作日） 待整改"
        in text
    )
    outsider = make_staff("civil_supervisor", other_department, role="supervisor")
    assert number not in _text(_page(client, outsider, board))
    city = make_staff("city_supervisor", other_department, role="city_supervisor")
    assert number in _text(_page(client, city, board))
    # Answered and followed up but not closed: still overdue; closed: gone.
    with time_machine.travel(TWO_DAYS_LATE, tick=False):
        reply_to_rectification(rectification_id=rectification_id, staff_id=clerk.id, text="已整改")
        record_follow_up(
            rectification_id=rectification_id,
            staff_id=clerk.id,
            result="satisfied",
            contacted_on=dt.date(2026, 11, 25),
        )
    assert number in _text(_page(client, supervisor, board))
    with time_machine.travel(TWO_DAYS_LATE, tick=False):
        close_rectification(rectification_id=rectification_id, staff_id=clerk.id)
    assert "差评整改超期（0）" in _text(_page(client, supervisor, board))
