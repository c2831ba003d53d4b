"""DOCX and TXT files, refused uploads, the report table's carried-over rows, overdue counts and the
e-supervision card."""

import datetime as dt
import io
import zipfile

import pytest
import time_machine

from tongban.disclosure_requests import rules, services
from tongban.disclosure_requests.errors import RequestError
from tongban.disclosure_requests.models import ReleaseFile
from tongban.disclosure_requests.selectors import queue, supervision_section
from tongban.disclosure_requests.tests.helpers import ID_NUMBER, PHONE, apply
from tongban.disclosure_requests.tests.test_clock import at
from tongban.tracking.tests.pdf import pdf_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx(paragraphs: list[str], *, doctype: str = "") -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    xml = f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()


def handling(s) -> int:
    request_id = apply(s)
    services.accept(request_id=request_id, user_id=s.handler.id)
    return request_id


def redacted_text(file_id: int) -> str:
    with ReleaseFile.objects.get(pk=file_id).redacted.open("rb") as f:
        return pdf_text(f.read())


def test_a_docx_and_a_text_file_are_redacted_into_new_pdfs(s):
    request_id = handling(s)
    lines = ["检查记录", f"身份证：{ID_NUMBER}", f"手机：{PHONE}", "结论：合格"]
    from_docx = services.add_file(
        request_id=request_id, user_id=s.handler.id, name="记录.docx", data=docx(lines)
    )
    from_txt = services.add_file(
        request_id=request_id, user_id=s.handler.id, name="记录.txt", data="\n".join(lines).encode("gb18030")
    )
    for file_id in (from_docx, from_txt):
        text = redacted_text(file_id)
        assert ID_NUMBER not in text
        assert PHONE not in text
        assert "结论：合格" in text


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("记录.pdf", b"just text, not a PDF", "扩展名不符"),
        ("记录.docx", b"not a zip", "扩展名不符"),
        ("记录.docx", docx(["x"], doctype='<!DOCTYPE w [<!ENTITY e "x">]>'), "无法读取"),
        ("记录.txt", b"a\x00b", "不是文本文件"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_kept(s, name, data, message):
    request_id = handling(s)
    with pytest.raises(RequestError, match=message):
        services.add_file(request_id=request_id, user_id=s.handler.id, name=name, data=data)
    assert not ReleaseFile.objects.exists()


def test_the_table_counts_carried_over_requests_by_applicant_type():
    facts = [
        rules.RequestFact("natural_person", dt.date(2025, 12, 20), dt.date(2026, 1, 10), "granted", ""),
        rules.RequestFact("research", dt.date(2026, 3, 1), None, "", ""),
        rules.RequestFact("commercial", dt.date(2026, 5, 1), dt.date(2026, 5, 20), "refused", "process"),
        rules.RequestFact("natural_person", dt.date(2026, 6, 1), dt.date(2026, 6, 9), "not_held", ""),
        rules.RequestFact("natural_person", dt.date(2026, 7, 1), dt.date(2026, 7, 9), "repeated", ""),
        rules.RequestFact("natural_person", dt.date(2025, 3, 1), dt.date(2025, 3, 9), "granted", ""),
    ]
    table = rules.report_table(facts, year=2026)
    assert (table.new["total"], table.new["natural_person"], table.new["research"]) == (4, 2, 1)
    assert (table.carried_in["natural_person"], table.carried_in["total"]) == (1, 1)
    assert table.results["granted"]["natural_person"] == 1
    assert table.results["refused:process"]["commercial"] == 1
    assert table.results["unable:not_held"]["natural_person"] == 1
    assert table.results["not_processed:repeated"]["total"] == 1
    assert table.results["total"]["total"] == 4
    assert (table.carried_out["research"], table.carried_out["total"]) == (1, 1)


def test_overdue_requests_are_counted_on_the_queue_and_the_supervision_card(s):
    with at(dt.date(2026, 9, 14)):
        late = apply(s)
        paused = apply(s)
        services.accept(request_id=paused, user_id=s.handler.id)
        services.start_pause(request_id=paused, user_id=s.handler.id, kind="correction", reason="请说明范围")
    with at(dt.date(2026, 10, 19)), time_machine.travel(dt.datetime(2026, 10, 19, 2, 0, tzinfo=dt.UTC)):
        apply(s)
        data = queue(s.handler.id, today=dt.date(2026, 10, 19))
        assert (data.open_count, data.overdue_count) == (3, 1)
        levels = {row.request.pk: row.level for row in data.rows}
        assert levels[late] == "red"
        assert levels[paused] == "normal"
        section = supervision_section(department_ids={s.department.pk}, today=dt.date(2026, 10, 19))
        assert [(row.request.pk, row.overdue_days) for row in section.rows] == [(late, 1)]
        assert supervision_section(department_ids={s.other.pk}, today=dt.date(2026, 10, 19)).rows == []
