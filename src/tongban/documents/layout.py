"""The official document as PDF to the GB/T 9704-2012 layout (套红 output, STANDARDS §11).

A4; 版心 156 × 225 mm with a 37 mm top margin and a 28 mm binding-side margin. The 正文 is set in a
仿宋-style face at 3号 (16 pt) on a grid of 22 lines of 28 characters: the line pitch is 225 mm / 22 and the
character pitch 156 mm / 28 (so the character spacing is slightly negative at 16 pt), every line but a
paragraph's last is justified, and the line-breaking rules (避头尾) keep closing punctuation off the start of
a line and opening punctuation off its end. The 版头 (份号, 密级, 紧急程度, red 发文机关标志, 发文字号 or
发文字号 + 签发人, red separator), 标题 (2号, 小标宋-style), 主送, 附件说明, 署名 and 成文日期 (right 4
characters, room for the seal over them), 附注, the 版记 at the foot of the last page and the 页码 "— 1 —" (4号,
right on odd pages, left on even ones) are placed as the standard places them.

The faces come from settings (``TONGBAN_DOCUMENT_FONT_*``) and fall back to ``TONGBAN_PDF_FONT``; positions
are computed from the grid, never from a face's metrics, so a replaced font does not move anything.
The output is deterministic for the same input (ReportLab's invariant mode).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas

from tongban.documents.types import DocumentLayout

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 28 * mm  # 订口 (binding side)
TOP_MARGIN = 37 * mm  # 天头
TEXT_WIDTH = 156 * mm
TEXT_HEIGHT = 225 * mm
TEXT_TOP = PAGE_HEIGHT - TOP_MARGIN
TEXT_BOTTOM = TEXT_TOP - TEXT_HEIGHT
RIGHT = LEFT + TEXT_WIDTH

BODY_SIZE = 16.0  # 3号
TITLE_SIZE = 22.0  # 2号
SMALL_SIZE = 14.0  # 4号: 版记, 页码
HEAD_SIZE = 50.0  # 发文机关标志 (the standard asks for 醒目、美观、庄重; compressed to fit the 版心)
CHARS_PER_LINE = 28
LINES_PER_PAGE = 22
CHAR_PITCH = TEXT_WIDTH / CHARS_PER_LINE
LINE_PITCH = TEXT_HEIGHT / LINES_PER_PAGE
SEAL_DIAMETER = 42 * mm

RED = Color(0.86, 0.0, 0.0)
# Where a line's baseline sits above the bottom of its grid cell (a CJK glyph's descent is about 0.12 em).
_BASELINE_RAISE = (LINE_PITCH - BODY_SIZE) / 2 + 0.12 * BODY_SIZE

NO_LINE_START = set("，。、；：？！）》」』”’〕】…·%,.;:?!)]}—～")
NO_LINE_END = set("（《「『“‘〔【([{")
HEADING_PATTERNS = (
    re.compile(r"^[一二三四五六七八九十百]+、"),
    re.compile(r"^[（(][一二三四五六七八九十百]+[）)]"),
    re.compile(r"^\d+[.．]"),
    re.compile(r"^[（(]\d+[）)]"),
)


@dataclass(frozen=True)
class Box:
    """A rectangle on one page, in PDF points from the page's bottom-left corner."""

    page_index: int  # 0-based
    left: float
    bottom: float
    right: float
    top: float


@dataclass(frozen=True)
class RenderedDocument:
    """What ``render_layout`` made: the PDF, its page count, the box of the 成文日期 as drawn and the
    box reserved for the seal over the 署名 and 成文日期 (the seal's centre a little above them, its top
    within one line of the 正文), which ``sealing`` uses for the visible seal."""

    pdf: bytes
    page_count: int
    date_box: Box
    seal_box: Box


# --- fonts ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Faces:
    title: str  # 小标宋-style
    body: str  # 仿宋-style
    hei: str  # 黑体
    kai: str  # 楷体
    title_stroke: float  # outline width that emboldens a light title face


@cache
def _register(path: str) -> str:
    name = "TongbanDoc" + hashlib.sha1(path.encode()).hexdigest()[:10]  # noqa: S324 (a name, not security)
    pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
    return name


def _face(path: str) -> str:
    if not Path(path).is_file():
        path = settings.TONGBAN_PDF_FONT
    return _register(path)


def document_faces() -> Faces:
    """The registered faces from settings (a missing file falls back to ``TONGBAN_PDF_FONT``)."""
    try:
        stroke = max(0.0, float(settings.TONGBAN_DOCUMENT_FONT_TITLE_EMBOLDEN))
    except ValueError:
        stroke = 0.0
    return Faces(
        title=_face(settings.TONGBAN_DOCUMENT_FONT_TITLE),
        body=_face(settings.TONGBAN_DOCUMENT_FONT_BODY),
        hei=_face(settings.TONGBAN_DOCUMENT_FONT_HEITI),
        kai=_face(settings.TONGBAN_DOCUMENT_FONT_KAITI),
        title_stroke=stroke,
    )


# --- the 正文 HTML as blocks ---------------------------------------------------------------------------


@dataclass
class Run:
    text: str
    style: str = "body"  # body | bold | kai | hei


@dataclass
class Block:
    kind: str  # paragraph | heading | table
    level: int = 0
    runs: list[Run] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


class _BodyParser(HTMLParser):
    """Paragraphs, headings h1–h4, strong/em, lists as paragraphs and simple tables out of the clean
    (already sanitised) 正文 HTML. Anything else contributes its text to the paragraph it is in."""

    BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.current: Block | None = None
        self.bold = 0
        self.italic = 0
        self.lists: list[list[int | None]] = []  # per open list: [counter or None for ul]
        self.table: list[list[str]] | None = None
        self.cell: list[str] | None = None

    def _start_block(self, kind: str = "paragraph", level: int = 0) -> None:
        self._end_block()
        self.current = Block(kind=kind, level=level)

    def _end_block(self) -> None:
        if self.current is not None and (self.current.text.strip() or self.current.kind == "table"):
            self.blocks.append(self.current)
        self.current = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.table is not None:
            if tag == "tr":
                self.table.append([])
            elif tag in {"td", "th"}:
                self.cell = []
            elif tag == "br" and self.cell is not None:
                self.cell.append(" ")
            return
        if tag == "table":
            self._end_block()
            self.table = []
        elif tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self._start_block("heading", min(int(tag[1]), 4))
        elif tag in {"ul", "ol"}:
            self._end_block()
            self.lists.append([0 if tag == "ol" else None])
        elif tag == "li":
            self._start_block()
            if self.lists and self.lists[-1][0] is not None:
                number = (self.lists[-1][0] or 0) + 1
                self.lists[-1][0] = number
                self.current.runs.append(Run(f"{number}."))  # type: ignore[union-attr]
        elif tag in self.BLOCK_TAGS:
            self._start_block()
        elif tag in {"strong", "b"}:
            self.bold += 1
        elif tag in {"em", "i"}:
            self.italic += 1
        elif tag == "br":
            # A forced break: the rest starts a new line of the same paragraph kind, without indent.
            kind, level = (self.current.kind, self.current.level) if self.current else ("paragraph", 0)
            self._end_block()
            self.current = Block(kind="continuation" if kind == "paragraph" else kind, level=level)

    def handle_endtag(self, tag: str) -> None:
        if self.table is not None:
            if tag in {"td", "th"} and self.cell is not None:
                if self.table:
                    self.table[-1].append(_collapse("".join(self.cell)))
                self.cell = None
            elif tag == "table":
                rows = [row for row in self.table if row]
                self.table = None
                if rows:
                    self.blocks.append(Block(kind="table", rows=rows))
            return
        if tag in {"strong", "b"}:
            self.bold = max(0, self.bold - 1)
        elif tag in {"em", "i"}:
            self.italic = max(0, self.italic - 1)
        elif tag in {"ul", "ol"}:
            self._end_block()
            if self.lists:
                self.lists.pop()
        elif tag in self.BLOCK_TAGS:
            self._end_block()

    def handle_data(self, data: str) -> None:
        if self.table is not None:
            if self.cell is not None:
                self.cell.append(data)
            return
        if self.current is None:
            if not data.strip():
                return
            self.current = Block(kind="paragraph")
        style = "bold" if self.bold else "kai" if self.italic else "body"
        self.current.runs.append(Run(data, style))

    def close(self) -> None:
        super().close()
        self._end_block()


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (up to 99)."""
    if n < 10:
        return CHINESE_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十" + (CHINESE_DIGITS[ones] if ones else "")


def body_blocks(html: str) -> list[Block]:
    """The 正文 as blocks; headings get the standard's 一、（一）1.（1）numbers by rank (the highest level
    used is the first rank) unless their text already starts with one."""
    parser = _BodyParser()
    parser.feed(html or "")
    parser.close()
    blocks = parser.blocks
    for block in blocks:
        if block.runs:
            first = block.runs[0]
            first.text = re.sub(r"^[\s\u3000]+", "", first.text)
            for run in block.runs:
                run.text = re.sub(r"[ \t\r\n]+", " ", run.text)
            block.runs[-1].text = block.runs[-1].text.rstrip()
    levels = sorted({b.level for b in blocks if b.kind == "heading"})
    counters = [0, 0, 0, 0]
    for block in blocks:
        if block.kind != "heading":
            continue
        rank = min(levels.index(block.level), 3)
        block.level = rank + 1
        counters[rank] += 1
        for lower in range(rank + 1, 4):
            counters[lower] = 0
        if not HEADING_PATTERNS[rank].match(block.text):
            n = counters[rank]
            prefix = (f"{chinese_number(n)}、", f"（{chinese_number(n)}）", f"{n}.", f"（{n}）")[rank]
            block.runs.insert(0, Run(prefix))
        # 一、 in 黑体, （一） in 楷体, 1. and （1） in the body face.
        style = {1: "hei", 2: "kai"}.get(block.level)
        if style:
            for run in block.runs:
                run.style = style
    return blocks


# --- lines ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """What a line is made of: one CJK character, or an unbreakable run of Latin letters and digits."""

    text: str
    font: str
    size: float
    stroke: float
    width: float  # advance with the grid's character spacing


_WORD = re.compile(r"[A-Za-z0-9@#&_+\-./:%]+|.", re.DOTALL)


def _units(runs: list[Run], faces: Faces, size: float, spacing: float) -> list[Unit]:
    units: list[Unit] = []
    for run in runs:
        font = {"hei": faces.hei, "kai": faces.kai}.get(run.style, faces.body)
        stroke = 0.35 if run.style == "bold" else 0.0
        for match in _WORD.finditer(run.text):
            text = match.group()
            width = pdfmetrics.stringWidth(text, font, size) + spacing * len(text)
            units.append(Unit(text, font, size, stroke, width))
    return units


@dataclass
class Line:
    """One line to draw: units at x offsets from the line's left edge; ``height`` on the page."""

    height: float
    draw: Callable[[rl_canvas.Canvas, float], None]  # (canvas, top y of the line)
    kind: str = "text"  # text | blank | signature …


def _break_lines(units: list[Unit], first_width: float, width: float) -> list[list[Unit]]:
    lines: list[list[Unit]] = []
    current: list[Unit] = []
    used = 0.0
    limit = first_width
    i = 0
    while i < len(units):
        unit = units[i]
        if not current and unit.text == " ":
            i += 1
            continue
        if used + unit.width <= limit + 0.01 or not current:
            current.append(unit)
            used += unit.width
            i += 1
            continue
        # 避头尾: a closing mark may not start the next line, an opening one may not end this one.
        if unit.text[0] in NO_LINE_START and len(current) > 1:
            i -= 1
            current.pop()
            while len(current) > 1 and current[-1].text[-1] in NO_LINE_START:
                i -= 1
                current.pop()
        while len(current) > 1 and current[-1].text[-1] in NO_LINE_END:
            i -= 1
            current.pop()
        while current and current[-1].text == " ":
            current.pop()
        lines.append(current)
        current, used, limit = [], 0.0, width
    if current:
        lines.append(current)
    return lines


def _text_line(units: list[Unit], *, indent: float, width: float, justify: bool, stroke_color=black) -> Line:
    natural = sum(u.width for u in units)
    gap = (width - natural) / (len(units) - 1) if justify and len(units) > 1 and natural < width else 0.0

    def draw(page: rl_canvas.Canvas, top: float) -> None:
        # One text object per line (a font change or an emboldened run apart): far smaller and faster
        # than one per character.
        baseline = top - LINE_PITCH + _BASELINE_RAISE
        x = LEFT + indent
        page.setFillColor(black)
        text = page.beginText(x, baseline)
        text.setCharSpace(unit_spacing)
        font = ""
        emboldened = []
        for unit in units:
            if unit.stroke:
                emboldened.append((unit, x))
            else:
                if unit.font != font:
                    text.setFont(unit.font, unit.size)
                    font = unit.font
                text.setTextOrigin(x, baseline)
                text.textOut(unit.text)
            x += unit.width + gap
        page.drawText(text)
        for unit, at in emboldened:
            _draw_text(page, unit.text, at, baseline, unit.font, unit.size, unit.stroke, spacing=unit_spacing)

    unit_spacing = CHAR_PITCH - BODY_SIZE
    return Line(LINE_PITCH, draw)


def _draw_text(
    page: rl_canvas.Canvas,
    text: str,
    x: float,
    y: float,
    font: str,
    size: float,
    stroke: float = 0.0,
    *,
    spacing: float = 0.0,
    color: Color = black,
    scale: float = 100.0,
) -> None:
    if stroke:
        # The render mode and line width belong to the graphics state: keep them inside q … Q.
        page.saveState()
    obj = page.beginText(x, y)
    obj.setFont(font, size)
    obj.setCharSpace(spacing)
    obj.setHorizScale(scale)
    page.setFillColor(color)
    page.setStrokeColor(color)
    if stroke:
        page.setLineWidth(stroke)
        obj.setTextRenderMode(2)  # fill, then stroke: a heavier face
    obj.textOut(text)
    page.drawText(obj)
    if stroke:
        page.restoreState()


def _blank(height: float = LINE_PITCH) -> Line:
    return Line(height, lambda _page, _top: None, kind="blank")


def paragraph_lines(runs: list[Run], faces: Faces, *, indent_chars: int = 2, hang: float = 0.0) -> list[Line]:
    """A paragraph on the grid: first line indented ``indent_chars``, later lines flush (or at ``hang``)."""
    spacing = CHAR_PITCH - BODY_SIZE
    units = _units(runs, faces, BODY_SIZE, spacing)
    indent = indent_chars * CHAR_PITCH
    broken = _break_lines(units, TEXT_WIDTH - indent, TEXT_WIDTH - hang)
    lines = []
    for index, line_units in enumerate(broken):
        first = index == 0
        left = indent if first else hang
        lines.append(
            _text_line(line_units, indent=left, width=TEXT_WIDTH - left, justify=index < len(broken) - 1)
        )
    return lines


def _table_lines(rows: list[list[str]], faces: Faces) -> list[Line]:
    """A simple grid: equal columns, 4号 text wrapped in each cell; a table breaks between rows."""
    columns = max(len(row) for row in rows)
    col_width = TEXT_WIDTH / columns
    size = SMALL_SIZE
    leading = size * 1.5
    pad = 2 * mm
    lines: list[Line] = []
    for row in rows:
        cells = [*row, *[""] * (columns - len(row))]
        wrapped = [_wrap_plain(cell, faces.body, size, col_width - 2 * pad) for cell in cells]
        height = max(len(w) for w in wrapped) * leading + 2 * pad

        def draw(page: rl_canvas.Canvas, top: float, wrapped=wrapped, height=height) -> None:
            page.setStrokeColor(black)
            page.setLineWidth(0.5)
            for col, cell_lines in enumerate(wrapped):
                x = LEFT + col * col_width
                page.rect(x, top - height, col_width, height, stroke=1, fill=0)
                for n, text in enumerate(cell_lines):
                    baseline = top - pad - (n + 1) * leading + (leading - size) / 2 + 0.12 * size
                    _draw_text(page, text, x + pad, baseline, faces.body, size)

        lines.append(Line(height, draw, kind="table"))
    lines.append(_blank(LINE_PITCH / 2))
    return lines


def _wrap_plain(text: str, font: str, size: float, width: float) -> list[str]:
    lines, line = [], ""
    for char in text:
        if line and pdfmetrics.stringWidth(line + char, font, size) > width:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line or not lines else lines


def date_text(day: datetime.date) -> str:
    """成文日期 in Arabic numerals without leading zeros: 2026年12月7日."""
    return f"{day.year}年{day.month}月{day.day}日"


# --- the document ---------------------------------------------------------------------------------


class _Pages:
    """Places lines page by page; the first page's lines start below the 版头."""

    def __init__(self, first_top: float) -> None:
        self.pages: list[list[tuple[float, Line]]] = [[]]
        self.top = first_top

    @property
    def index(self) -> int:
        return len(self.pages) - 1

    def room(self) -> float:
        return self.top - TEXT_BOTTOM

    def new_page(self) -> None:
        self.pages.append([])
        self.top = TEXT_TOP

    def add(self, line: Line) -> None:
        if line.height > self.room() + 0.01:
            self.new_page()
            if line.kind == "blank":
                return  # no blank line at the top of a page
        self.pages[-1].append((self.top, line))
        self.top -= line.height


def render_layout(layout: DocumentLayout) -> RenderedDocument:
    """The document as PDF bytes to GB/T 9704-2012, with where the 成文日期 and the seal are."""
    faces = document_faces()
    buffer = io.BytesIO()
    page = rl_canvas.Canvas(buffer, pagesize=A4, invariant=True)
    page.setTitle(layout.title)
    page.setAuthor(layout.issuer_name)
    page.setSubject(layout.document_number)
    page.setCreator("Tongban")

    header_bottom = _draw_header(page, layout, faces)
    pages = _Pages(first_top=header_bottom - 2 * LINE_PITCH)  # 标题: 分隔线下空二行

    for line in _title_lines(layout.title, faces):
        pages.add(line)
    if layout.main_recipients:
        pages.add(_blank())  # 主送: 标题下空一行
        recipients = "、".join(layout.main_recipients) + "："
        for line in paragraph_lines([Run(recipients)], faces, indent_chars=0):
            pages.add(line)

    for block in body_blocks(layout.body_html):
        if block.kind == "table":
            for line in _table_lines(block.rows, faces):
                pages.add(line)
        else:
            indent = 0 if block.kind == "continuation" else 2
            for line in paragraph_lines(block.runs, faces, indent_chars=indent):
                pages.add(line)

    if layout.attachments_note.strip():
        pages.add(_blank())  # 附件说明: 正文下空一行左空二字
        items = [item.strip() for item in layout.attachments_note.strip().splitlines() if item.strip()]
        numbered = len(items) > 1
        hang = 5 * CHAR_PITCH  # later lines align with the first attachment's name
        for n, item in enumerate(items, start=1):
            name = re.sub(r"^\d+[.．、]\s*", "", item) if numbered else item
            text = (f"{n}." if numbered else "") + name
            runs = [Run(("附件：" if n == 1 else "") + text)]
            lines = paragraph_lines(runs, faces, indent_chars=2 if n == 1 else 5, hang=hang)
            for line in lines:
                pages.add(line)

    date_box, seal_box = _place_signature(pages, layout, faces)
    _place_imprint(pages, layout, faces)

    for index, placed in enumerate(pages.pages):
        for top, line in placed:
            line.draw(page, top)
        _draw_page_number(page, index + 1, faces)
        page.showPage()
    page.save()
    return RenderedDocument(
        pdf=buffer.getvalue(), page_count=len(pages.pages), date_box=date_box, seal_box=seal_box
    )


def _draw_header(page: rl_canvas.Canvas, layout: DocumentLayout, faces: Faces) -> float:
    """版头 on the first page; returns the y of the red separator."""
    marks = []
    if layout.copy_number:
        marks.append(layout.copy_number)  # 份号: 6 digits, 版心左上角第一行
    if layout.secrecy:
        period = f"★{layout.secrecy_period}" if layout.secrecy_period else ""
        marks.append(f"{layout.secrecy}{period}")
    if layout.urgency:
        marks.append(layout.urgency)
    for n, text in enumerate(marks):
        baseline = TEXT_TOP - (n + 1) * LINE_PITCH + _BASELINE_RAISE
        _draw_text(page, text, LEFT, baseline, faces.hei, BODY_SIZE, spacing=CHAR_PITCH - BODY_SIZE)

    # 发文机关标志: red, centred, its top 35 mm below the top of the 版心, compressed to fit the width.
    head_top = TEXT_TOP - 35 * mm
    head_baseline = head_top - HEAD_SIZE * 0.88
    natural = pdfmetrics.stringWidth(layout.head_text, faces.title, HEAD_SIZE)
    max_width = TEXT_WIDTH - 2 * CHAR_PITCH
    scale = min(100.0, 100.0 * max_width / natural) if natural else 100.0
    width = natural * scale / 100
    _draw_text(
        page,
        layout.head_text,
        LEFT + (TEXT_WIDTH - width) / 2,
        head_baseline,
        faces.title,
        HEAD_SIZE,
        faces.title_stroke * 2.5,
        color=RED,
        scale=scale,
    )
    head_bottom = head_top - HEAD_SIZE

    # 发文字号: 标志下空二行, centred; an upward document has 文号 left (空一字) and 签发人 right (空一字).
    number_top = head_bottom - 2 * LINE_PITCH
    baseline = number_top - LINE_PITCH + _BASELINE_RAISE
    if layout.signer_name:
        _draw_text(page, layout.document_number, LEFT + CHAR_PITCH, baseline, faces.body, BODY_SIZE)
        name_width = pdfmetrics.stringWidth(layout.signer_name, faces.kai, BODY_SIZE)
        label = "签发人："
        label_width = pdfmetrics.stringWidth(label, faces.body, BODY_SIZE)
        x = RIGHT - CHAR_PITCH - name_width
        _draw_text(page, layout.signer_name, x, baseline, faces.kai, BODY_SIZE)
        _draw_text(page, label, x - label_width, baseline, faces.body, BODY_SIZE)
    else:
        width = pdfmetrics.stringWidth(layout.document_number, faces.body, BODY_SIZE)
        _draw_text(
            page, layout.document_number, LEFT + (TEXT_WIDTH - width) / 2, baseline, faces.body, BODY_SIZE
        )

    # The red separator 4 mm under the 发文字号, as wide as the 版心.
    rule_y = baseline - 0.12 * BODY_SIZE - 4 * mm
    page.saveState()
    page.setStrokeColor(RED)
    page.setLineWidth(1.2)
    page.line(LEFT, rule_y, RIGHT, rule_y)
    page.restoreState()
    return rule_y


def _title_lines(title: str, faces: Faces) -> list[Line]:
    """标题 in 2号, centred on one or more lines of balanced length (the longer lines first: 梯形)."""
    spacing = 0.0
    max_width = TEXT_WIDTH - 4 * CHAR_PITCH
    chars = [m.group() for m in _WORD.finditer(title.strip())]
    widths = [pdfmetrics.stringWidth(c, faces.title, TITLE_SIZE) + spacing for c in chars]
    total = sum(widths)
    count = max(1, int(-(-total // max_width)))
    target = total / count
    lines: list[list[str]] = [[]]
    used = 0.0
    for char, width in zip(chars, widths, strict=True):
        full = used + width > max_width or (used >= target - 0.5 and len(lines) < count)
        if lines[-1] and full and char[0] not in NO_LINE_START:
            lines.append([])
            used = 0.0
        lines[-1].append(char)
        used += width

    result = []
    for line in lines:
        text = "".join(line)

        def draw(page: rl_canvas.Canvas, top: float, text=text) -> None:
            width = pdfmetrics.stringWidth(text, faces.title, TITLE_SIZE)
            baseline = top - LINE_PITCH + (LINE_PITCH - TITLE_SIZE) / 2 + 0.12 * TITLE_SIZE
            _draw_text(
                page,
                text,
                LEFT + (TEXT_WIDTH - width) / 2,
                baseline,
                faces.title,
                TITLE_SIZE,
                faces.title_stroke,
            )

        result.append(Line(LINE_PITCH, draw, kind="title"))
    return result


def _place_signature(pages: _Pages, layout: DocumentLayout, faces: Faces) -> tuple[Box, Box]:
    """署名 and 成文日期 with the seal over them (GB/T 9704 7.3.5.1): 成文日期 right 4 characters, the 署名
    centred over it, both under the seal's centre; the seal's top within one line of the 正文. The block
    stays on the page of the 正文's last lines: when it does not fit, the last two lines go with it."""
    spacing = CHAR_PITCH - BODY_SIZE
    date = date_text(layout.issued_on)
    date_width = pdfmetrics.stringWidth(date, faces.body, BODY_SIZE) + spacing * len(date)
    date_right = RIGHT - 4 * CHAR_PITCH
    centre_x = date_right - date_width / 2
    issuer = layout.issuer_name
    issuer_width = pdfmetrics.stringWidth(issuer, faces.body, BODY_SIZE) + spacing * len(issuer)
    note_lines = []
    if layout.note.strip():
        note = layout.note.strip()
        if not note.startswith(("（", "(")):
            note = f"（{note}）"
        note_lines = paragraph_lines([Run(note)], faces, indent_chars=2)

    block_height = 4 * LINE_PITCH + len(note_lines) * LINE_PITCH  # 2 blank lines, 署名, 日期, 附注
    if block_height > pages.room() + 0.01:
        # Carry the last two lines of the 正文 over so that the seal never sits on a page without text.
        carried: list[Line] = []
        current = pages.pages[-1]
        while current and len(carried) < 2 and current[-1][1].kind not in {"blank"}:
            carried.insert(0, current.pop()[1])
        pages.new_page()
        for line in carried:
            pages.add(line)

    pages.add(_blank())
    pages.add(_blank())
    issuer_top = pages.top

    def draw_issuer(page: rl_canvas.Canvas, top: float) -> None:
        baseline = top - LINE_PITCH + _BASELINE_RAISE
        _draw_text(
            page, issuer, centre_x - issuer_width / 2, baseline, faces.body, BODY_SIZE, spacing=spacing
        )

    def draw_date(page: rl_canvas.Canvas, top: float) -> None:
        baseline = top - LINE_PITCH + _BASELINE_RAISE
        _draw_text(page, date, date_right - date_width, baseline, faces.body, BODY_SIZE, spacing=spacing)

    pages.add(Line(LINE_PITCH, draw_issuer, kind="signature"))
    date_top = pages.top
    pages.add(Line(LINE_PITCH, draw_date, kind="signature"))
    for line in note_lines:
        pages.add(line)

    index = pages.index
    date_box = Box(index, date_right - date_width, date_top - LINE_PITCH, date_right, date_top)
    centre_y = issuer_top - 0.1 * LINE_PITCH
    radius = SEAL_DIAMETER / 2
    seal_box = Box(index, centre_x - radius, centre_y - radius, centre_x + radius, centre_y + radius)
    return date_box, seal_box


def _place_imprint(pages: _Pages, layout: DocumentLayout, faces: Faces) -> None:
    """版记 at the foot of the last page: 抄送 (左右各空一字, 回行对齐冒号后首字, 句号结尾) and 印发机关 (左空一字)
    with 印发日期 (右空一字, "…印发") between separator lines; the last line on the 版心's bottom edge."""
    row = 8 * mm
    size = SMALL_SIZE
    inner = TEXT_WIDTH - 2 * size
    copy_lines: list[str] = []
    if layout.copy_recipients:
        label = "抄送："
        text = "，".join(layout.copy_recipients) + "。"
        label_width = pdfmetrics.stringWidth(label, faces.body, size)
        wrapped = _wrap_plain(text, faces.body, size, inner - label_width)
        copy_lines = [label + wrapped[0], *wrapped[1:]]
        label_offset = label_width
    else:
        label_offset = 0.0
    printed_by = layout.printed_by or layout.issuer_name
    printed_on = date_text(layout.printed_on or layout.issued_on) + "印发"
    height = (len(copy_lines) + 1) * row
    if height > pages.room() + 0.01:
        pages.new_page()
    bottom = TEXT_BOTTOM

    def draw(page: rl_canvas.Canvas, _top: float) -> None:
        page.saveState()
        page.setStrokeColor(black)
        y = bottom + height
        page.setLineWidth(0.35 * mm)
        page.line(LEFT, y, RIGHT, y)  # the first separator: thick
        for n, text in enumerate(copy_lines):
            baseline = y - (n + 1) * row + (row - size) / 2 + 0.12 * size
            x = LEFT + size + (0 if n == 0 else label_offset)
            _draw_text(page, text, x, baseline, faces.body, size)
        y -= len(copy_lines) * row
        if copy_lines:
            page.setLineWidth(0.25 * mm)
            page.line(LEFT, y, RIGHT, y)  # between 抄送 and 印发: thin
        baseline = y - row + (row - size) / 2 + 0.12 * size
        _draw_text(page, printed_by, LEFT + size, baseline, faces.body, size)
        width = pdfmetrics.stringWidth(printed_on, faces.body, size)
        _draw_text(page, printed_on, RIGHT - size - width, baseline, faces.body, size)
        page.setLineWidth(0.35 * mm)
        page.line(LEFT, bottom, RIGHT, bottom)  # the last separator: thick, on the 版心's bottom edge
        page.restoreState()

    pages.pages[-1].append((bottom + height, Line(height, draw, kind="imprint")))
    pages.top = bottom


def _draw_page_number(page: rl_canvas.Canvas, number: int, faces: Faces) -> None:
    """页码: 4号, "— N —", its top 7 mm under the 版心; odd pages right (空一字), even pages left (空一字)."""
    text = f"— {number} —"
    width = pdfmetrics.stringWidth(text, faces.body, SMALL_SIZE)
    baseline = TEXT_BOTTOM - 7 * mm - SMALL_SIZE * 0.88
    x = RIGHT - SMALL_SIZE - width if number % 2 else LEFT + SMALL_SIZE
    _draw_text(page, text, x, baseline, faces.body, SMALL_SIZE)
