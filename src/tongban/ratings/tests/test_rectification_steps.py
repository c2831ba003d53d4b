"""差评整改 through its services: 整改情况 with attachments, 回访, 办结, each step in its turn and only by
the handling roles of the rated department."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from conftest import EICAR, make_staff
from django.utils import timezone

from tongban.applications.tests.factories import pdf_bytes
from tongban.core.tests import scan_payloads
from tongban.core.uploads import UploadError
from tongban.core.virus_scan import ScannerUnavailable
from tongban.ratings.errors import RectificationError, RectificationStateError
from tongban.ratings.models import FollowUp, Rectification, RectificationAttachment, RectificationReply
from tongban.ratings.rules import Step, next_steps
from tongban.ratings.selectors import open_rectification_count
from tongban.ratings.services import (
    MAX_ATTACHMENTS,
    close_rectification,
    record_follow_up,
    reply_to_rectification,
)
from tongban.ratings.tests.factories import attachment

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _state(rectification_id):
    row = Rectification.objects.get(pk=rectification_id)
    return row.status, row.replies.count(), row.follow_ups.count(), RectificationAttachment.objects.count()


def _reply(rectification_id, staff, **kwargs):
    kwargs.setdefault("text", "已约谈窗口人员，修订一次性告知单")
    return reply_to_rectification(rectification_id=rectification_id, staff_id=staff.id, **kwargs)


def _follow_up(rectification_id, staff, result="satisfied", note="", contacted_on=None):
    return record_follow_up(
        rectification_id=rectification_id,
        staff_id=staff.id,
        result=result,
        note=note,
        contacted_on=contacted_on or timezone.localdate(),
    )


@pytest.mark.parametrize(
    ("status", "latest", "steps"),
    [
        ("open", None, {Step.REPLY}),
        ("replied", None, {Step.FOLLOW_UP}),
        ("replied", "dissatisfied", {Step.FOLLOW_UP}),
        ("followed_up", "satisfied", {Step.CLOSE}),
        ("followed_up", "dissatisfied", {Step.CLOSE, Step.REPLY}),
        ("done", "dissatisfied", set()),
    ],
)
def test_next_steps_follow_the_status(status, latest, steps):
    assert next_steps(status, latest) == steps


def test_reply_with_an_attachment_waits_for_the_follow_up(rectification_id, clerk):
    reply_id = _reply(rectification_id, clerk, files=[attachment("整改通知.pdf")])
    reply = RectificationReply.objects.get(pk=reply_id)
    assert (reply.text, reply.replied_by_id) == ("已约谈窗口人员，修订一次性告知单", clerk.id)
    [file] = reply.attachments.all()
    assert (file.display_name, file.kind) == ("整改通知.pdf", "pdf")
    assert file.file.name.startswith(f"rectifications/{reply_id}/")  # a generated key, not the name (T-C4)
    assert file.file.read().startswith(b"%PDF-")
    assert _state(rectification_id) == ("replied", 1, 0, 1)


@pytest.mark.parametrize("role", ["clerk", "reviewer", "approver", "department_admin"])
def test_every_handling_role_of_the_department_may_reply(rectification_id, department, role):
    _reply(rectification_id, make_staff(f"handler_{role}", department, role=role))
    assert _state(rectification_id) == ("replied", 1, 0, 0)


@pytest.mark.parametrize("role", ["catalog_editor", "supervisor"])
def test_T_B4_other_roles_of_the_department_may_not_reply(rectification_id, department, role):
    staff = make_staff(f"other_{role}", department, role=role)
    with pytest.raises(RectificationError) as refused:
        _reply(rectification_id, staff)
    assert refused.value.code == "not_found"
    assert _state(rectification_id) == ("open", 0, 0, 0)


def test_T_B3_a_clerk_of_another_department_may_not_reply(rectification_id, other_department):
    with pytest.raises(RectificationError, match="没有找到该整改"):
        _reply(rectification_id, make_staff("civil_clerk", other_department, role="clerk"))
    assert _state(rectification_id) == ("open", 0, 0, 0)


def test_reply_without_text_is_refused(rectification_id, clerk):
    with pytest.raises(RectificationError, match="请填写整改情况"):
        _reply(rectification_id, clerk, text="  ", files=[attachment()])
    assert _state(rectification_id) == ("open", 0, 0, 0)


def test_T_C1_an_attachment_whose_content_is_not_an_allowed_type_is_refused(rectification_id, clerk):
    with pytest.raises(UploadError, match=r"“说明\.pdf”：文件类型与扩展名不符"):
        _reply(rectification_id, clerk, files=[attachment(), attachment("说明.pdf", b"MZ\x90\x00 not a pdf")])
    assert _state(rectification_id) == ("open", 0, 0, 0)


def test_T_C5_an_attachment_over_10_mb_is_refused(rectification_id, clerk):
    big = pdf_bytes() + b"0" * (10 * 1024 * 1024)
    with pytest.raises(UploadError, match="所选文件须小于 10MB"):
        _reply(rectification_id, clerk, files=[attachment("扫描件.pdf", big)])
    assert _state(rectification_id) == ("open", 0, 0, 0)


def test_T_C5_at_most_five_attachments(rectification_id, clerk):
    with pytest.raises(UploadError, match="最多上传5个附件"):
        _reply(rectification_id, clerk, files=[attachment(f"{n}.pdf") for n in range(MAX_ATTACHMENTS + 1)])
    assert _state(rectification_id) == ("open", 0, 0, 0)


def test_T_C6_an_infected_attachment_is_refused_and_nothing_kept(rectification_id, clerk, tmp_path):
    infected = pdf_bytes()[:-6] + EICAR + b"\n%%EOF\n"
    with pytest.raises(UploadError, match="所选文件含有病毒"):
        _reply(rectification_id, clerk, files=[attachment(), attachment("感染.pdf", infected)])
    assert _state(rectification_id) == ("open", 0, 0, 0)
    assert not (tmp_path / "media/materials/rectifications").exists()


def test_T_C6_an_attachment_clamd_cannot_scan_to_the_end_is_refused(rectification_id, clerk, tmp_path):
    unscannable = scan_payloads.pdf_with_stream(scan_payloads.nested_zips(20))  # past MaxRecursion
    with pytest.raises(UploadError) as refused:
        _reply(rectification_id, clerk, files=[attachment("整改报告.pdf", unscannable)])
    assert refused.value.message == (
        "“整改报告.pdf”：所选文件内容过多或嵌套层数过多，无法完成病毒检查，请拆分成较小的文件后重新上传"
    )
    assert _state(rectification_id) == ("open", 0, 0, 0)
    assert not (tmp_path / "media/materials/rectifications").exists()


def test_T_C6_scanner_down_keeps_nothing(rectification_id, clerk, settings):
    settings.TONGBAN_CLAMD_PORT = 9  # nothing listens: the scanner gives no verdict
    with pytest.raises(ScannerUnavailable):
        _reply(rectification_id, clerk, files=[attachment()])
    assert _state(rectification_id) == ("open", 0, 0, 0)


def test_the_whole_loop_reply_follow_up_close(rectification_id, clerk, department, other_department):
    approver = make_staff("market_approver", department, role="approver")
    outsider = make_staff("civil_clerk", other_department, role="clerk")
    assert (open_rectification_count(clerk.id), open_rectification_count(outsider.id)) == (1, 0)
    _reply(rectification_id, clerk)
    follow_up_id = _follow_up(rectification_id, clerk, note="评价人表示认可")
    assert FollowUp.objects.get(pk=follow_up_id).is_satisfied
    assert _state(rectification_id) == ("followed_up", 1, 1, 0)
    close_rectification(rectification_id=rectification_id, staff_id=approver.id)
    row = Rectification.objects.get(pk=rectification_id)
    assert (row.status, row.closed_by_id, row.completed_at is not None) == ("done", approver.id, True)
    assert open_rectification_count(clerk.id) == 0


def test_nothing_is_answered_twice_or_out_of_turn(rectification_id, clerk):
    with pytest.raises(RectificationStateError, match="填报整改情况后才能回访"):
        _follow_up(rectification_id, clerk)
    with pytest.raises(RectificationStateError, match="回访后才能办结"):
        close_rectification(rectification_id=rectification_id, staff_id=clerk.id)
    assert _state(rectification_id) == ("open", 0, 0, 0)
    _reply(rectification_id, clerk)
    with pytest.raises(RectificationStateError, match="不能填报整改情况"):
        _reply(rectification_id, clerk)
    _follow_up(rectification_id, clerk)
    with pytest.raises(RectificationStateError, match="每次整改情况回访一次"):
        _follow_up(rectification_id, clerk)
    with pytest.raises(RectificationStateError, match="不能填报整改情况"):
        _reply(rectification_id, clerk)  # the rater was satisfied: no second answer
    close_rectification(rectification_id=rectification_id, staff_id=clerk.id)
    with pytest.raises(RectificationStateError):
        close_rectification(rectification_id=rectification_id, staff_id=clerk.id)
    assert _state(rectification_id) == ("done", 1, 1, 0)


def test_a_dissatisfied_rater_may_get_a_second_answer(rectification_id, clerk):
    _reply(rectification_id, clerk)
    _follow_up(rectification_id, clerk, result="dissatisfied", note="仍未说明退件理由")
    _reply(rectification_id, clerk, text="书面说明退件理由并致歉")
    assert _state(rectification_id) == ("replied", 2, 1, 0)
    _follow_up(rectification_id, clerk)
    close_rectification(rectification_id=rectification_id, staff_id=clerk.id)
    assert _state(rectification_id) == ("done", 2, 2, 0)


def test_a_dissatisfied_follow_up_needs_what_the_rater_said(rectification_id, clerk):
    _reply(rectification_id, clerk)
    with pytest.raises(RectificationError, match="回访结果为不满意时，请写明群众反映的情况"):
        _follow_up(rectification_id, clerk, result="dissatisfied", note=" ")
    with pytest.raises(RectificationError, match="请选择回访结果"):
        _follow_up(rectification_id, clerk, result="maybe")
    assert _state(rectification_id) == ("replied", 1, 0, 0)


def test_the_follow_up_date_lies_between_the_reply_and_today(rectification_id, clerk):
    with time_machine.travel(dt.datetime(2026, 12, 3, 10, 0, tzinfo=SHANGHAI), tick=False):
        _reply(rectification_id, clerk)
    with time_machine.travel(dt.datetime(2026, 12, 4, 10, 0, tzinfo=SHANGHAI), tick=False):
        with pytest.raises(RectificationError, match="回访日期不能晚于今天"):
            _follow_up(rectification_id, clerk, contacted_on=dt.date(2026, 12, 5))
        with pytest.raises(RectificationError, match="回访日期不能早于整改情况的填报日期"):
            _follow_up(rectification_id, clerk, contacted_on=dt.date(2026, 12, 2))
        assert _state(rectification_id) == ("replied", 1, 0, 0)
        _follow_up(rectification_id, clerk, contacted_on=dt.date(2026, 12, 3))
    assert _state(rectification_id) == ("followed_up", 1, 1, 0)


def test_T_B3_another_departments_clerk_may_not_follow_up_or_close(rectification_id, clerk, other_department):
    outsider = make_staff("civil_clerk", other_department, role="clerk")
    _reply(rectification_id, clerk)
    with pytest.raises(RectificationError, match="没有找到该整改"):
        _follow_up(rectification_id, outsider)
    _follow_up(rectification_id, clerk)
    with pytest.raises(RectificationError, match="没有找到该整改"):
        close_rectification(rectification_id=rectification_id, staff_id=outsider.id)
    assert _state(rectification_id) == ("followed_up", 1, 1, 0)
