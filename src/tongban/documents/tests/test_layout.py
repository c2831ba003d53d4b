"""The GB/T 9704 layout (documents.layout), checked on the rendered pages' pixels."""

import datetime

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from tongban.documents import layout
from tongban.documents.layout import (
    CHAR_PITCH,
    LEFT,
    LINE_PITCH,
    RIGHT,
    TEXT_BOTTOM,
    TEXT_TOP,
    Run,
    body_blocks,
    date_text,
    document_faces,
    paragraph_lines,
    render_layout,
)
from tongban.documents.tests.output_helpers import sample_layout
from tongban.documents.tests.raster import count, is_dark, is_ink, is_red, pixels, rasterise, region


@pytest.fixture(scope="module")
def rendered():
    return render_layout(sample_layout())


@pytest.fixture(scope="module")
def pages(rendered):
    return rasterise(rendered.pdf)


def test_a_five_page_document_is_a4_with_one_page_per_raster(rendered, pages):
    reader = PdfReader(__import__("io").BytesIO(rendered.pdf))
    assert rendered.page_count == 5 == len(reader.pages) == len(pages)
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width) / mm), round(float(height) / mm)) == (210, 297)


def test_the_red_head_and_the_red_separator_are_on_the_first_page_only(pages):
    first = pages[0]
    head = region(LEFT, TEXT_TOP - 35 * mm - layout.HEAD_SIZE, RIGHT, TEXT_TOP - 35 * mm)
    assert count(first, head, is_red) > 500
    # The separator: a row of red pixels spanning the 版心 somewhere under the 发文字号.
    band = region(LEFT, TEXT_TOP - 120 * mm, RIGHT, TEXT_TOP - 35 * mm - layout.HEAD_SIZE - 2 * LINE_PITCH)
    rows = {}
    for index, pixel in enumerate(pixels(first.crop(band))):
        if is_red(pixel):
            row = index // (band[2] - band[0])
            rows[row] = rows.get(row, 0) + 1
    assert max(rows.values()) > 0.9 * (band[2] - band[0])
    assert all(count(page, head, is_red) == 0 for page in pages[1:])


def test_page_numbers_sit_right_on_odd_pages_and_left_on_even_pages(pages):
    foot = (TEXT_BOTTOM - 7 * mm - 6 * mm, TEXT_BOTTOM - 5 * mm)
    middle = (LEFT + RIGHT) / 2
    for number, page in enumerate(pages, start=1):
        left = count(page, region(LEFT, foot[0], middle, foot[1]), is_ink)
        right = count(page, region(middle, foot[0], RIGHT, foot[1]), is_ink)
        if number % 2:
            assert (right > 10, left) == (True, 0), number
        else:
            assert (left > 10, right) == (True, 0), number


def test_a_full_body_page_has_22_lines_of_text(pages):
    page = pages[1]
    box = region(LEFT, TEXT_BOTTOM, RIGHT, TEXT_TOP)
    crop = page.crop(box)
    width = box[2] - box[0]
    flat = pixels(crop)
    inked = [any(is_dark(p) for p in flat[y * width : (y + 1) * width]) for y in range(crop.height)]
    bands = sum(1 for y in range(1, len(inked)) if inked[y] and not inked[y - 1]) + (1 if inked[0] else 0)
    assert bands == 22
    assert count(page, box, is_dark) > 5000


def test_a_line_holds_28_characters_and_the_29th_starts_the_next():
    faces = document_faces()
    assert len(paragraph_lines([Run("政" * 28)], faces, indent_chars=0)) == 1
    assert len(paragraph_lines([Run("政" * 29)], faces, indent_chars=0)) == 2
    assert len(paragraph_lines([Run("政" * 26)], faces, indent_chars=2)) == 1
    assert abs(CHAR_PITCH * 28 - 156 * mm) < 0.01
    assert abs(LINE_PITCH * 22 - 225 * mm) < 0.01


def test_a_closing_mark_never_starts_a_line():
    faces = document_faces()
    lines = paragraph_lines([Run("政" * 28 + "。后文")], faces, indent_chars=0)
    assert len(lines) == 2  # the 28th character went down with the 。 (避头尾)


def test_headings_are_numbered_by_rank_unless_already_numbered():
    blocks = body_blocks("<h2>总体要求</h2><h3>组织</h3><h3>（二）责任</h3><h2>二、任务</h2><h4>细则</h4>")
    assert [b.text for b in blocks] == ["一、总体要求", "（一）组织", "（二）责任", "二、任务", "1.细则"]
    assert blocks[0].runs[0].style == "hei"
    assert blocks[1].runs[0].style == "kai"


def test_the_date_is_in_arabic_numerals_and_the_seal_room_is_over_it_on_the_last_page(rendered, pages):
    assert date_text(datetime.date(2026, 12, 7)) == "2026年12月7日"
    date, seal = rendered.date_box, rendered.seal_box
    assert date.page_index == seal.page_index == 4
    assert seal.left < date.left < date.right < seal.right
    assert seal.bottom < date.bottom < date.top < seal.top
    assert date.right == pytest.approx(RIGHT - 4 * CHAR_PITCH)  # 右空四字
    assert count(pages[4], region(date.left, date.bottom, date.right, date.top), is_dark) > 20
    assert count(pages[4], region(seal.left, seal.bottom, seal.right, seal.top), is_red) == 0  # unsealed


def test_the_imprint_is_at_the_foot_of_the_last_page(pages):
    last = pages[-1]
    rule = region(LEFT, TEXT_BOTTOM - 1, RIGHT, TEXT_BOTTOM + 1)
    assert count(last, rule, is_dark) > 0.8 * (rule[2] - rule[0])
    assert count(pages[1], rule, is_dark) < 0.2 * (rule[2] - rule[0])


def test_the_layout_does_not_depend_on_the_face(settings, rendered):
    settings.TONGBAN_DOCUMENT_FONT_BODY = settings.TONGBAN_PDF_FONT
    settings.TONGBAN_DOCUMENT_FONT_TITLE = "/nonexistent/xiaobiaosong.ttf"  # falls back
    other = render_layout(sample_layout())
    assert other.page_count == rendered.page_count
    assert other.seal_box.page_index == rendered.seal_box.page_index


def test_an_upward_document_prints_the_signer_beside_the_number():
    pdf = render_layout(sample_layout(signer_name="李明", body_html="<p>请批示。</p>")).pdf
    text = PdfReader(__import__("io").BytesIO(pdf)).pages[0].extract_text()
    assert "签发人" in text
    assert "李明" in text


@pytest.mark.parametrize("extra", range(0, 12, 2))
def test_the_seal_never_sits_on_a_page_without_text(extra):
    from tongban.documents.tests.output_helpers import SENTENCE

    body = "".join(f"<p>{SENTENCE}</p>" for _ in range(6)) + f"<p>{'政' * (14 * extra + 5)}</p>"
    rendered = render_layout(sample_layout(body_html=body, attachments_note=""))
    seal = rendered.seal_box
    page = rasterise(rendered.pdf)[seal.page_index]
    above = region(LEFT, seal.top - LINE_PITCH, RIGHT, TEXT_TOP)
    assert count(page, above, is_dark) > 100  # 正文 on the seal's page, within a line of its top
    assert seal.bottom > TEXT_BOTTOM
