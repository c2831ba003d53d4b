"""档号 (DA/T 22-2015) and the retention schedule's matching, as pure rules."""

import pytest

from tongban.archives.rules import (
    ArchivalCodeParts,
    RetentionRuleRow,
    content_problem,
    format_archival_code,
    matching_retention,
    missing_item_numbers,
    parse_archival_code,
)


def test_the_archival_code_is_fonds_category_year_retention_organisation_and_item_number():
    code = format_archival_code(
        fonds_code="Z001", category="WS", year=2026, retention="D30", organisation_code="BGS", item_number=12
    )

    assert code == "Z001-WS·2026-D30-BGS-0012"
    assert parse_archival_code(code) == ArchivalCodeParts("Z001", "WS", 2026, "D30", "BGS", 12)


@pytest.mark.parametrize(
    "code", ["Z001-WS-2026-D30-BGS-0012", "Z001-WS·2026-D20-BGS-0012", "Z001-WS·2026-Y-BGS-12"]
)
def test_a_code_with_a_wrong_separator_retention_or_short_item_number_is_not_an_archival_code(code):
    assert parse_archival_code(code) is None


def test_item_numbers_missing_from_the_run_are_named():
    assert missing_item_numbers([1, 2, 5, 3]) == [4]
    assert missing_item_numbers([]) == []


def test_the_first_matching_row_of_the_schedule_decides_and_nothing_matching_is_ten_years():
    rows = [
        RetentionRuleRow(kind="通知", source="", title_contains="转发", retention="D10"),
        RetentionRuleRow(kind="通知", source="", title_contains="", retention="D30"),
        RetentionRuleRow(kind="请示", source="outgoing", title_contains="", retention="Y"),
    ]

    assert matching_retention(rows, kind="通知", source="outgoing", title="关于转发省政府文件的通知") == "D10"
    assert matching_retention(rows, kind="通知", source="incoming", title="关于做好防汛工作的通知") == "D30"
    assert matching_retention(rows, kind="请示", source="outgoing", title="请示") == "Y"
    assert matching_retention(rows, kind="请示", source="incoming", title="请示") == "D10"


def test_an_executable_or_a_file_that_is_not_what_its_name_says_is_refused():
    assert content_problem("sealed.pdf", b"MZ\x90\x00") == "文件含有可执行内容：sealed.pdf"
    assert content_problem("sealed.pdf", b"<html>") == "文件内容不是 PDF：sealed.pdf"
    assert content_problem("run.exe", b"MZ") == "不允许的文件类型：run.exe"
    assert content_problem("form.json", b"{}") is None
