"""正文: saving versions, reading the clean text and its history, DOCX in and out (issue 15).

Every save by a different person is a version, so that each reviewer's changes show as 修订 against
the version before; the latest version's author saving again replaces it. After 签发 nothing changes.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
import zlib
from dataclasses import dataclass

import mammoth
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from tongban.accounts.selectors import names_of
from tongban.documents import body
from tongban.documents.access import may_edit_body
from tongban.documents.errors import DocumentError, DocumentLockedError
from tongban.documents.models import BodyVersion, OfficialDocument

MB = 1024 * 1024
DOCX_MAX_MB = 20
DOCX_MAX_ENTRIES = 1000
DOCX_MAX_UNCOMPRESSED = 200 * MB
DOCX_MAX_RATIO = 100  # uncompressed / archive size
DOCX_XML_MAX = 50 * MB  # one XML part, inflated to be read
READ_CHUNK = 1 * MB

# GB/T 9704: 正文 in a 仿宋-style face at 三号 (16 pt), the title in a 小标宋-style face at 二号 (22 pt),
# 一级标题 in 黑体 and 二级标题 in 楷体. Word uses the first name it has; the others are what Windows
# (仿宋_GB2312), newer Windows (仿宋) and other systems (FangSong) call the same face.
BODY_FONT = ("仿宋_GB2312", "FangSong")
TITLE_FONT = ("方正小标宋简体", "SimSun")
HEADING_FONTS = {1: ("黑体", "SimHei"), 2: ("楷体_GB2312", "KaiTi"), 3: BODY_FONT, 4: BODY_FONT}
BODY_PT = 16
TITLE_PT = 22


@dataclass(frozen=True)
class VersionEntry:
    """One saved version of the 正文, for the history (修订) page."""

    id: int
    number: int
    author_id: int
    author_name: str
    saved_at: datetime.datetime
    html: str


def _empty_body() -> DocumentError:
    return DocumentError(_("请输入正文"), code="empty_body")


def save_body(*, document_id: int, user_id: int, html: str) -> int:
    """Save the 正文 the user edited; returns the id of the version that holds it.

    The HTML is sanitised (``body.sanitise``) first. A save by the author of the latest version
    replaces that version (same number); a save by anyone else adds the next number; text equal to
    the latest version saves nothing. The document row is locked for the read-modify-write, so two
    concurrent saves never take the same number (the unique constraint backs it).

    Raises DocumentLockedError (409) unless ``access.may_edit_body`` (signed off, or not the user's
    step), DocumentError (400) for a body without text.
    """
    clean = body.sanitise(html)
    if body.is_empty(clean):
        raise _empty_body()
    with transaction.atomic():
        document = OfficialDocument.objects.select_for_update().get(pk=document_id)
        if not may_edit_body(user_id, document):
            raise _locked(document)
        latest = document.versions.order_by("-number").first()
        if latest is not None and latest.html == clean:
            return latest.pk
        now = timezone.now()
        if latest is not None and latest.author_id == user_id:
            latest.html = clean
            latest.saved_at = now
            latest.save(update_fields=["html", "saved_at"])
            return latest.pk
        version = BodyVersion.objects.create(
            document=document,
            number=latest.number + 1 if latest is not None else 1,
            html=clean,
            author_id=user_id,
            saved_at=now,
        )
        return version.pk


def _locked(document: OfficialDocument) -> DocumentLockedError:
    if document.is_signed_off:
        return DocumentLockedError(_("公文已签发，正文不能再修改"), code="signed_off")
    return DocumentLockedError(_("您当前没有办理这份公文的环节，不能修改正文"), code="not_your_step")


def current_html(document_id: int) -> str:
    """The clean 正文: the latest version's sanitised HTML, without 修订 marks ("" before the first save)."""
    latest = BodyVersion.objects.filter(document_id=document_id).order_by("-number").first()
    return latest.html if latest is not None else ""


def starting_html(document_id: int) -> str:
    """What the editor starts from: the clean 正文, or before the first save the template's text."""
    html = current_html(document_id)
    if html:
        return html
    document = OfficialDocument.objects.select_related("template").get(pk=document_id)
    return body.sanitise(document.template.body_html) if document.template else ""


def versions_of(document_id: int) -> list[VersionEntry]:
    """Every version of the 正文, oldest first, with its author's name."""
    versions = list(BodyVersion.objects.filter(document_id=document_id).order_by("number"))
    names = names_of({v.author_id for v in versions})
    return [
        VersionEntry(
            id=v.pk,
            number=v.number,
            author_id=v.author_id,
            author_name=names.get(v.author_id, ""),
            saved_at=v.saved_at,
            html=v.html,
        )
        for v in versions
    ]


# DOCX in


def _not_docx() -> DocumentError:
    return DocumentError(_("所选文件须为 Word 文档（DOCX）格式"), code="not_docx")


def _unreadable() -> DocumentError:
    return DocumentError(_("所选文件无法打开，请检查后重新选择"), code="unreadable")


def _check_docx(data: bytes) -> None:
    """A real DOCX: a zip holding ``word/document.xml``, within the size limits before and after
    inflating (T-C3, T-C5), without encrypted, symlinked or path-traversing entries, whose XML parts
    declare no DTD or entity (T-C8). Nothing is extracted to disk."""
    if not data:
        raise DocumentError(_("所选文件为空"), code="empty")
    if len(data) > DOCX_MAX_MB * MB:
        raise DocumentError(_("所选文件须小于 %(size)sMB") % {"size": DOCX_MAX_MB}, code="too_large")
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # the old binary .doc (OLE compound file)
        raise DocumentError(
            _("所选文件是旧版 Word 文档（DOC），请在 Word 中另存为 DOCX 格式后重新上传"), code="doc"
        )
    if not data.startswith(b"PK\x03\x04") or data.count(b"PK\x01\x02") > DOCX_MAX_ENTRIES:
        raise _not_docx()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _unreadable() from exc
    names = archive.namelist()
    if "word/document.xml" not in names:
        raise _not_docx()
    entries = archive.infolist()
    if sum(e.file_size for e in entries) > min(DOCX_MAX_UNCOMPRESSED, DOCX_MAX_RATIO * len(data)):
        raise DocumentError(_("所选文件解压后过大，请检查后重新选择"), code="archive_too_large")
    for entry in entries:
        unsafe_name = (
            "\\" in entry.filename or entry.filename.startswith("/") or ".." in entry.filename.split("/")
        )
        if entry.flag_bits & 0x1 or unsafe_name or (entry.external_attr >> 16) & 0o170000 == 0o120000:
            raise _unreadable()
        if not entry.filename.endswith((".xml", ".rels")):
            continue
        try:
            with archive.open(entry) as member:
                text = member.read(DOCX_XML_MAX + 1)
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
            raise _unreadable() from exc
        if len(text) > DOCX_XML_MAX or re.search(rb"<!(DOCTYPE|ENTITY)", text, re.IGNORECASE):
            raise _unreadable()


def _no_images(image: object) -> dict[str, str]:
    return {}  # images are not part of the 正文 the layout prints; sanitise drops <img> anyway


def docx_to_html(data: bytes) -> str:
    """The sanitised 正文 of a DOCX (Word's 标题 1–4 become headings). DocumentError when the file is
    not a DOCX that can be read."""
    _check_docx(data)
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data), convert_image=mammoth.images.img_element(_no_images)
        )
    except (KeyError, ValueError, zipfile.BadZipFile, zlib.error, OSError, EOFError, AttributeError) as exc:
        raise _unreadable() from exc
    return body.sanitise(result.value)


def import_docx(*, document_id: int, user_id: int, data: bytes) -> int:
    """Replace the 正文 with a Word document's text (a DOCX, checked and converted, its first
    paragraph dropped when it only repeats the document's title) and save it like ``save_body``;
    returns the version id. DocumentError for a file that is not a readable DOCX or has no text;
    DocumentLockedError as ``save_body``."""
    html = docx_to_html(data)
    title = OfficialDocument.objects.values_list("title", flat=True).get(pk=document_id)
    parsed = body.parse(html)
    if parsed and parsed[0].text.strip() == title.strip():
        html = body.serialise(parsed[1:])
    if body.is_empty(html):
        raise DocumentError(_("所选文件中没有正文"), code="empty_docx")
    return save_body(document_id=document_id, user_id=user_id, html=html)


# DOCX out


def _set_font(target: object, names: tuple[str, str], size: int | None = None) -> None:
    """Set the font of a style or run: the East Asian name (仿宋_GB2312 …) and the Latin name."""
    font = target.font  # type: ignore[attr-defined]
    font.name = names[1]
    if size is not None:
        font.size = Pt(size)
    r_pr = target.element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), names[0])


def _add_spans(paragraph: object, spans: tuple[body.Span, ...]) -> None:
    for span in spans:
        for number, line in enumerate(span.text.split("\n")):
            run = paragraph.add_run()  # type: ignore[attr-defined]
            if number:
                run.add_break()
            run.text = line
            run.bold = span.bold or None
            run.italic = span.italic or None
            run.underline = span.underline or None


def docx_of(document_id: int) -> bytes:
    """The clean 正文 as a Word document: the title, then paragraphs, headings (Word's 标题 1–4),
    lists and tables, in GB/T 9704's faces and sizes (仿宋 三号 …) where the computer has them."""
    document = OfficialDocument.objects.get(pk=document_id)
    word = WordDocument()
    normal = word.styles["Normal"]
    _set_font(normal, BODY_FONT, BODY_PT)
    for level, names in HEADING_FONTS.items():
        style = word.styles[f"Heading {level}"]
        _set_font(style, names, BODY_PT)
        style.font.bold = level > 2
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
    title = word.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(title.add_run(document.title), TITLE_FONT, TITLE_PT)

    blocks = body.parse(current_html(document_id))
    widths: dict[int, int] = {}
    for block in blocks:
        if block.kind == "tr":
            widths[block.table] = max(widths.get(block.table, 1), sum(c.colspan for c in block.cells))
    table = None
    table_number = 0
    for block in blocks:
        if block.kind != "tr":
            table = None
        if block.kind in body.HEADINGS:
            _add_spans(word.add_paragraph(style=f"Heading {block.kind[1]}"), block.spans)
        elif block.kind == "li":
            style = "List Number" if block.list_type == "ol" else "List Bullet"
            if block.depth:
                style += f" {min(block.depth + 1, 3)}"
            _add_spans(word.add_paragraph(style=style), block.spans)
        elif block.kind == "tr":
            if table is None or block.table != table_number:
                table = word.add_table(rows=0, cols=widths[block.table])
                table.style = "Table Grid"
                table_number = block.table
            row = table.add_row()
            column = 0
            for cell in block.cells:
                if column >= len(row.cells):
                    break
                target = row.cells[column]
                end = min(column + cell.colspan, len(row.cells)) - 1
                if end > column:
                    target = target.merge(row.cells[end])
                _add_spans(target.paragraphs[0], cell.spans)
                if cell.header:
                    for run in target.paragraphs[0].runs:
                        run.bold = True
                column = end + 1
        else:
            _add_spans(word.add_paragraph(), block.spans)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
