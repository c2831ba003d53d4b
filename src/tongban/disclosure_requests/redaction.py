"""Redaction (Alaveteli's censor rules) of a file to release: its text is taken out, the rules are
applied, and a NEW PDF is typeset from the redacted text, so nothing of the original (hidden text
layers, metadata, images) survives. The layout of the original is not kept.

A rule finds personal data by kind (``core.pii``), a custom regular expression (at most
``MAX_PATTERN_CHARS`` characters, compiled once, refused with nested quantifiers, run over text bounded
by ``core.pii.MAX_SCANNED_CHARS``) or literal terms; the handler adds names and terms per file.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from tongban.core import pii
from tongban.core.pdf_fonts import chinese_font
from tongban.disclosure_requests.errors import RequestError

MAX_PATTERN_CHARS = 200
MAX_TERMS = 200
PII_KINDS = (pii.RESIDENT_ID, pii.MOBILE, pii.BANK_CARD, pii.USCC, pii.LANDLINE)
# A group with a quantifier inside, itself quantified: (a+)+, (\d*)*, (x+){2,} … (catastrophic backtracking).
NESTED_QUANTIFIER = re.compile(r"\([^()]*[+*}][^()]*\)\s*[+*{]")


@dataclass(frozen=True)
class RuleSpec:
    name: str
    kind: str  # a PII kind, "regex" or "terms"
    pattern: str = ""
    replacement: str = "[已删除]"


@dataclass(frozen=True)
class Hit:
    rule: str
    start: int
    end: int
    replacement: str


@dataclass
class RuleCount:
    rule: str
    count: int = 0
    examples: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Redacted:
    text: str
    summary: list[dict]  # [{"rule": …, "count": …, "examples": [masked …]}], rules with hits only


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """A custom rule's expression, or RequestError (400) with the reason."""
    pattern = pattern.strip()
    if not pattern:
        raise RequestError(_("请填写正则表达式"), code="pattern_empty")
    if len(pattern) > MAX_PATTERN_CHARS:
        raise RequestError(
            _("正则表达式不能超过%(n)d个字符") % {"n": MAX_PATTERN_CHARS}, code="pattern_too_long"
        )
    if NESTED_QUANTIFIER.search(pattern):
        raise RequestError(_("正则表达式不能含有嵌套的重复（如 (a+)+），以免匹配过慢"), code="pattern_nested")
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise RequestError(_("正则表达式有误：%(error)s") % {"error": exc}, code="pattern_invalid") from exc
    if compiled.search("") is not None:
        raise RequestError(_("正则表达式不能匹配空文本"), code="pattern_matches_empty")
    return compiled


def terms_of(text: str) -> list[str]:
    """Terms written one a line (or separated by 、 or commas), blanks dropped, at most MAX_TERMS."""
    terms = [t.strip() for t in re.split(r"[\n,，、；;]", text or "") if t.strip()]
    return terms[:MAX_TERMS]


def _hits(text: str, rule: RuleSpec) -> list[Hit]:
    if rule.kind in PII_KINDS:
        found = [f for f in pii.find_personal_data(text) if f.kind == rule.kind]
        return [Hit(rule.name, f.start, f.end, rule.replacement) for f in found]
    if rule.kind == "terms":
        found = pii.find_terms(text, terms_of(rule.pattern))
        return [Hit(rule.name, f.start, f.end, rule.replacement) for f in found]
    if rule.kind == "regex":
        compiled = compile_pattern(rule.pattern)
        return [
            Hit(rule.name, m.start(), m.end(), rule.replacement)
            for m in compiled.finditer(text)
            if m.end() > m.start()
        ]
    raise ValueError(f"unknown rule kind {rule.kind!r}")


def _shown(value: str) -> str:
    """What the preview shows of a removed piece: its first character and a count, never all of it."""
    return (
        value[:1] + "＊" * (len(value) - 1)
        if len(value) <= 4
        else f"{value[:2]}…{value[-1:]}（{len(value)}字）"
    )


def redact(
    text: str, rules: Sequence[RuleSpec], *, terms: Iterable[str] = (), term_replacement: str = "[已删除]"
) -> Redacted:
    """``text`` with every piece found by ``rules`` (earlier rules win an overlap) and by the handler's
    ``terms`` replaced, and a summary per rule of what was removed."""
    text = text[: pii.MAX_SCANNED_CHARS]
    specs = list(rules)
    term_list = [t for t in terms if t.strip()]
    if term_list:
        specs.append(RuleSpec(_("承办人指定的词语"), "terms", "\n".join(term_list), term_replacement))
    hits: list[Hit] = []
    taken: list[tuple[int, int]] = []
    counts: dict[str, RuleCount] = {}
    for spec in specs:
        for hit in _hits(text, spec):
            if any(hit.start < end and start < hit.end for start, end in taken):
                continue
            hits.append(hit)
            taken.append((hit.start, hit.end))
            count = counts.setdefault(spec.name, RuleCount(spec.name))
            count.count += 1
            if len(count.examples) < 3:
                count.examples.append(_shown(text[hit.start : hit.end]))
    pieces: list[str] = []
    cursor = 0
    for hit in sorted(hits, key=lambda h: h.start):
        pieces.append(text[cursor : hit.start])
        pieces.append(hit.replacement)
        cursor = hit.end
    pieces.append(text[cursor:])
    summary = [{"rule": c.rule, "count": c.count, "examples": c.examples} for c in counts.values()]
    return Redacted(text="".join(pieces), summary=summary)


# --- text in, PDF out ---------------------------------------------------------------------------------


def extract_text(content: bytes, *, kind: str) -> str:
    """The text of an uploaded PDF (its text layer; a scanned PDF has none), DOCX or UTF-8/GB18030 text
    file."""
    if kind == "txt":
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return content.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise RequestError(_("文本文件须为 UTF-8 或 GB18030 编码"), code="txt_encoding")
    if kind == "docx":
        return docx_text(content)
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise RequestError(_("无法读取该 PDF 的文字"), code="pdf_unreadable") from exc
    if not text.strip():
        raise RequestError(
            _("该 PDF 没有可提取的文字（可能是扫描件），请上传含文字层的 PDF 或文本文件"), code="pdf_no_text"
        )
    return text


DOCX_MAX_ENTRIES = 1000
DOCX_MAX_UNCOMPRESSED = 100 * 1024 * 1024
DOCX_MAX_RATIO = 100
DOCX_XML_MAX = 20 * 1024 * 1024
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(content: bytes) -> str:
    """The paragraphs of a DOCX's main document, one a line. The archive is bounded from its central
    directory before anything is inflated (entries, total size, ratio); the XML is refused with a DTD or
    an entity and parsed without resolving any."""
    import zipfile

    from lxml import etree

    unreadable = RequestError(_("无法读取该 Word 文档"), code="docx_unreadable")
    if content.count(b"PK\x01\x02") > DOCX_MAX_ENTRIES:
        raise unreadable
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
        total = sum(i.file_size for i in infos)
        document = archive.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        raise unreadable from exc
    if (
        total > DOCX_MAX_UNCOMPRESSED
        or total > DOCX_MAX_RATIO * max(len(content), 1)
        or document.file_size > DOCX_XML_MAX
    ):
        raise RequestError(_("该 Word 文档解压后过大"), code="docx_too_large")
    try:
        xml = archive.read(document)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as exc:
        raise unreadable from exc
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise unreadable
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        raise unreadable from exc
    lines = ["".join(node.text or "" for node in p.iter(f"{W_NS}t")) for p in root.iter(f"{W_NS}p")]
    text = "\n".join(lines)
    if not text.strip():
        raise RequestError(_("该 Word 文档没有文字"), code="docx_no_text")
    return text


def text_pdf(text: str, *, title: str) -> bytes:
    """A plain A4 PDF of ``text`` (one paragraph a line) under ``title``."""
    font = chinese_font()
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=17, wordWrap="CJK")
    heading = ParagraphStyle("heading", fontName=font, fontSize=14, leading=20, alignment=1)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=25 * mm,
        title=title,
        author="Tongban",
    )
    story: list = [Paragraph(escape(title), heading), Spacer(1, 6 * mm)]
    for line in text.splitlines():
        story.append(Paragraph(escape(line) if line.strip() else "&nbsp;", body))
    document.build(story)
    return buffer.getvalue()
