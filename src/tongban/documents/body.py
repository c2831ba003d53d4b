"""The 正文 as HTML: what may be kept (sanitise), its paragraph-level blocks, and the 修订 marks between
two versions. Pure functions, no ORM.

``sanitise`` is the one way HTML from a browser or a converted DOCX becomes a stored 正文: nh3 (the
maintained ammonia sanitiser) removes everything outside a short allow-list of what the GB/T 9704
layout prints, then the text is written out again from its blocks in one canonical form (``<b>``
becomes ``<strong>``, stray text becomes a paragraph, empty paragraphs go). The layout, the DOCX
export and the 修订 marks all read that form through ``parse``.

修订 marks come from a diff on words (jieba, as Chinese has no spaces between them), per block; the
blocks themselves are aligned first, so that an inserted or deleted paragraph shows as a whole.
"""

from __future__ import annotations

import difflib
import html as html_lib
import logging
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import Literal

import jieba
import nh3

HEADINGS = ("h1", "h2", "h3", "h4")
TEXT_BLOCKS = ("p", *HEADINGS)
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    *HEADINGS,
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "span",
}
# Merged table cells (from Word) are kept; nothing else carries an attribute (no style, class, id,
# on*, href or src: the layout prints none of them).
ALLOWED_ATTRIBUTES = {"td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
MAX_SPAN = 100
MAX_LIST_DEPTH = 4
_SPACES = re.compile(r"[ \t\r\n\f\u00a0]+")
_TABLE_PARTS = ("table", "tr", "td", "th")
_DIV = re.compile(r"<(/?)div\b", re.IGNORECASE)

jieba.setLogLevel(logging.WARNING)


@dataclass(frozen=True)
class Span:
    """A run of text in one formatting. ``text`` may hold "\\n" (a line break)."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False

    @property
    def style(self) -> tuple[bool, bool, bool]:
        return (self.bold, self.italic, self.underline)


@dataclass(frozen=True)
class Cell:
    spans: tuple[Span, ...]
    header: bool = False
    colspan: int = 1
    rowspan: int = 1

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True)
class Block:
    """One paragraph-level block: a paragraph, a heading, a list item or a table row.

    ``list_type`` ("ul"/"ol") and ``depth`` (0 for a top-level item) describe list items; ``cells`` and
    ``table`` (which table of the text, from 1) describe table rows."""

    kind: str  # "p", "h1".."h4", "li" or "tr"
    spans: tuple[Span, ...] = ()
    list_type: str = ""
    depth: int = 0
    cells: tuple[Cell, ...] = ()
    table: int = 0

    @property
    def text(self) -> str:
        if self.kind == "tr":
            return "\t".join(c.text for c in self.cells)
        return "".join(s.text for s in self.spans)


Op = Literal["equal", "insert", "delete"]


@dataclass(frozen=True)
class Run:
    op: Op
    text: str


@dataclass(frozen=True)
class RevisionBlock:
    """One block of the newer version with its 修订 runs against the older one; a block only in the
    older version (deleted) has a single ``delete`` run, one only in the newer a single ``insert``."""

    kind: str
    runs: tuple[Run, ...]

    @property
    def is_changed(self) -> bool:
        return any(run.op != "equal" for run in self.runs)


# Sanitising


def _cell_span(tag: str, name: str, value: str) -> str | None:
    if name in ("colspan", "rowspan") and value.isdigit() and 1 <= int(value) <= MAX_SPAN:
        return value
    return None


def sanitise(html: str) -> str:
    """The 正文 as it may be stored and printed: the allow-listed tags only (paragraphs, line breaks,
    bold, italic, underline, headings 1–4, lists, simple tables), no attributes but merged cells'
    ``colspan``/``rowspan``; scripts and styles go with their content, links and images go, comments
    go. Written out in the canonical form ``parse`` reads (idempotent)."""
    # A <div> (pasted from a web page) is a paragraph; nh3 would keep its text but not the break.
    html = _DIV.sub(r"<\1p", html)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style", "title", "template", "textarea", "select", "iframe"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_cell_span,
        strip_comments=True,
        link_rel=None,
        url_schemes=set(),
    )
    return serialise(parse(cleaned))


def blocks(html: str) -> list[str]:
    """The plain text of each paragraph-level block (a table row: its cells joined by a tab)."""
    return [block.text for block in parse(html)]


def is_empty(html: str) -> bool:
    return not any(text.strip() for text in blocks(html))


def shift_headings(html: str, *, by: int) -> str:
    """Canonical HTML with its headings moved ``by`` levels down (h1 → h3 for a page whose own
    headings are h1 and h2), at most to h6."""

    def shifted(match: re.Match[str]) -> str:
        return f"<{match[1]}h{min(6, int(match[2]) + by)}>"

    return re.sub(r"<(/?)h([1-4])>", shifted, html)


# Reading


class _BlockParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._kind = ""  # the open text block or list item
        self._spans: list[Span] = []
        self._lists: list[str] = []
        self._list_type = ""
        self._depth = 0
        self._bold = self._italic = self._underline = 0
        self._tables = 0
        self._nested_tables = 0  # tables inside a cell: their cells become lines of that cell
        self._row: list[Cell] | None = None
        self._cell: dict[str, object] | None = None
        self._cell_spans: list[Span] = []

    # Text

    def _append(self, text: str) -> None:
        if not text:
            return
        span = Span(text, self._bold > 0, self._italic > 0, self._underline > 0)
        target = self._cell_spans if self._cell is not None else self._spans
        if target and target[-1].style == span.style:
            target[-1] = Span(target[-1].text + text, *span.style)
        else:
            target.append(span)

    def handle_data(self, data: str) -> None:
        text = _SPACES.sub(" ", data)
        if self._cell is None and not self._kind:
            if not text.strip() or self._row is not None:
                return
            self._kind = "p"  # stray text outside any block
        self._append(text)

    # Blocks

    def _flush(self) -> None:
        if self._kind:
            spans = _trimmed(self._spans)
            if spans:
                if self._kind == "li":
                    block = Block("li", spans, list_type=self._list_type, depth=self._depth)
                else:
                    block = Block(self._kind, spans)
                self.blocks.append(block)
        self._kind = ""
        self._spans = []

    def _line_break(self) -> None:
        target = self._cell_spans if self._cell is not None else self._spans
        if target:
            self._append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._cell is not None and tag in _TABLE_PARTS:
            if tag == "table":
                self._nested_tables += 1
            elif tag == "td" or tag == "th":
                if self._cell_spans and not self._cell_spans[-1].text.endswith(("\n", " ")):
                    self._append(" ")
            else:
                self._line_break()
            return
        if tag in ("strong", "b"):
            self._bold += 1
        elif tag in ("em", "i"):
            self._italic += 1
        elif tag == "u":
            self._underline += 1
        elif tag == "br":
            if self._cell is not None or self._kind:
                self._line_break()
        elif tag in TEXT_BLOCKS:
            if self._cell is not None:
                self._line_break()
            elif self._kind != "li":
                self._flush()
                self._kind = tag
        elif tag in ("ul", "ol"):
            self._flush()
            self._lists.append(tag)
        elif tag == "li":
            self._flush()
            if self._cell is None:
                self._kind = "li"
                self._list_type = self._lists[-1] if self._lists else "ul"
                previous = self.blocks[-1].depth + 1 if self.blocks and self.blocks[-1].kind == "li" else 0
                self._depth = min(max(len(self._lists) - 1, 0), previous, MAX_LIST_DEPTH)
        elif tag == "table":
            self._flush()
            self._tables += 1
        elif tag == "tr":
            self._flush()
            self._row = []
        elif tag in ("td", "th"):
            if self._row is None:
                self._row = []
            values = dict(attrs)
            self._cell = {
                "header": tag == "th",
                "colspan": _int(values.get("colspan")),
                "rowspan": _int(values.get("rowspan")),
            }
            self._cell_spans = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self._nested_tables and tag in _TABLE_PARTS:
            if tag == "table":
                self._nested_tables -= 1
            return
        if tag in ("strong", "b"):
            self._bold = max(0, self._bold - 1)
        elif tag in ("em", "i"):
            self._italic = max(0, self._italic - 1)
        elif tag == "u":
            self._underline = max(0, self._underline - 1)
        elif tag in TEXT_BLOCKS:
            if self._cell is None and self._kind == tag:
                self._flush()
        elif tag == "li":
            if self._cell is None:
                self._flush()
        elif tag in ("ul", "ol"):
            self._flush()
            if self._lists:
                self._lists.pop()
        elif tag in ("td", "th"):
            self._close_cell()
        elif tag == "tr" or tag == "table":
            self._close_row()

    def _close_cell(self) -> None:
        if self._cell is None or self._row is None:
            return
        self._row.append(
            Cell(
                _trimmed(self._cell_spans),
                header=bool(self._cell["header"]),
                colspan=int(self._cell["colspan"]),  # type: ignore[call-overload]
                rowspan=int(self._cell["rowspan"]),  # type: ignore[call-overload]
            )
        )
        self._cell = None
        self._cell_spans = []

    def _close_row(self) -> None:
        self._close_cell()
        if self._row:
            self.blocks.append(Block("tr", cells=tuple(self._row), table=max(self._tables, 1)))
        self._row = None

    def close(self) -> None:
        super().close()
        self._close_row()
        self._flush()


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() and 1 <= int(value) <= MAX_SPAN else 1


def _trimmed(spans: list[Span]) -> tuple[Span, ...]:
    """Without the spaces and line breaks at either end (and the spans left empty by that)."""
    result = list(spans)
    while result:
        first = result[0]
        text = first.text.lstrip(" \n")
        if text:
            result[0] = Span(text, *first.style)
            break
        result.pop(0)
    while result:
        last = result[-1]
        text = last.text.rstrip(" \n")
        if text:
            result[-1] = Span(text, *last.style)
            break
        result.pop()
    return tuple(result)


def parse(html: str) -> list[Block]:
    """The blocks of sanitised (or any) HTML, in order; empty paragraphs and list items are left out."""
    parser = _BlockParser()
    parser.feed(html)
    parser.close()
    return parser.blocks


# Writing


def _spans_html(spans: tuple[Span, ...]) -> str:
    out = []
    for span in spans:
        text = html_lib.escape(span.text, quote=False).replace("\n", "<br>")
        if span.underline:
            text = f"<u>{text}</u>"
        if span.italic:
            text = f"<em>{text}</em>"
        if span.bold:
            text = f"<strong>{text}</strong>"
        out.append(text)
    return "".join(out)


def _cell_html(cell: Cell) -> str:
    tag = "th" if cell.header else "td"
    attrs = (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "") + (
        f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else ""
    )
    return f"<{tag}{attrs}>{_spans_html(cell.spans)}</{tag}>"


def serialise(items: list[Block]) -> str:
    """Canonical HTML of blocks: what ``sanitise`` stores."""
    out: list[str] = []
    lists: list[str] = []  # open lists, each with an open <li>
    table = 0
    in_body = False

    def close_lists(to: int) -> None:
        while len(lists) > to:
            out.append(f"</li></{lists.pop()}>")

    def close_table() -> None:
        nonlocal table, in_body
        if table:
            out.append("</tbody></table>" if in_body else "</thead></table>")
        table = 0
        in_body = False

    for block in items:
        if block.kind != "tr":
            close_table()
        if block.kind == "li":
            depth = min(block.depth, len(lists))
            close_lists(depth + 1)
            if len(lists) == depth + 1 and lists[-1] != block.list_type:
                close_lists(depth)
            if len(lists) == depth + 1:
                out.append("</li>")
            else:
                out.append(f"<{block.list_type}>")
                lists.append(block.list_type)
            out.append(f"<li>{_spans_html(block.spans)}")
            continue
        close_lists(0)
        if block.kind == "tr":
            header = all(cell.header for cell in block.cells)
            if block.table != table:
                close_table()
                table = block.table
                in_body = not header
                out.append("<table><tbody>" if in_body else "<table><thead>")
            elif not in_body and not header:
                out.append("</thead><tbody>")
                in_body = True
            out.append("<tr>" + "".join(_cell_html(c) for c in block.cells) + "</tr>")
        else:
            out.append(f"<{block.kind}>{_spans_html(block.spans)}</{block.kind}>")
    close_lists(0)
    close_table()
    return "".join(out)


# 修订 marks

_tokenizer_lock = threading.Lock()


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    with _tokenizer_lock:
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        return tokenizer


def _words(text: str) -> list[str]:
    # Dictionary words only (no HMM guesses): the same text always splits the same way.
    return list(_tokenizer().cut(text, HMM=False))


def _word_runs(old: str, new: str) -> tuple[Run, ...]:
    a, b = _words(old), _words(new)
    runs: list[Run] = []

    def add(op: Op, text: str) -> None:
        if not text:
            return
        if runs and runs[-1].op == op:
            runs[-1] = Run(op, runs[-1].text + text)
        else:
            runs.append(Run(op, text))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("equal", "".join(a[i1:i2]))
        else:
            add("delete", "".join(a[i1:i2]))
            add("insert", "".join(b[j1:j2]))
    return tuple(runs)


def _similar(a: Block, b: Block) -> bool:
    # A block that changed its kind (a heading made a paragraph) shows as removed and added.
    return a.kind == b.kind and difflib.SequenceMatcher(None, a.text, b.text, autojunk=False).ratio() >= 0.4


def revision_marks(old_html: str, new_html: str) -> list[RevisionBlock]:
    """The 修订 of ``new_html`` against ``old_html``: per block of either version, in reading order, the
    runs unchanged, inserted and deleted (words within a changed block; a whole block when it was
    added or removed). Deleted text comes before the text that replaced it."""
    old, new = parse(old_html), parse(new_html)
    old_keys = [(b.kind, b.text) for b in old]
    new_keys = [(b.kind, b.text) for b in new]
    result: list[RevisionBlock] = []
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result += [RevisionBlock(b.kind, (Run("equal", b.text),)) for b in new[j1:j2]]
            continue
        # Pair the changed blocks in order where they are alike; the others were removed or added.
        j = j1
        for i in range(i1, i2):
            match = next((k for k in range(j, j2) if _similar(old[i], new[k])), None)
            if match is None:
                result.append(RevisionBlock(old[i].kind, (Run("delete", old[i].text),)))
                continue
            result += [RevisionBlock(b.kind, (Run("insert", b.text),)) for b in new[j:match]]
            result.append(RevisionBlock(new[match].kind, _word_runs(old[i].text, new[match].text)))
            j = match + 1
        result += [RevisionBlock(b.kind, (Run("insert", b.text),)) for b in new[j:j2]]
    return result
