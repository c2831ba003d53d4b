"""The text of an attachment, for the personal-data gate: PDF through pypdf, DOCX through its XML.
A file whose text cannot be read gives "" (the reviewers still open it)."""

from __future__ import annotations

import io
import re
import zipfile

from pypdf import PdfReader

MAX_PAGES = 300
MAX_CHARS = 500_000
DOCX_XML_MAX = 20 * 1024 * 1024


def pdf_text(data: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(data))
        parts: list[str] = []
        for page in reader.pages[:MAX_PAGES]:
            parts.append(page.extract_text() or "")
            if sum(len(p) for p in parts) > MAX_CHARS:
                break
        return "\n".join(parts)[:MAX_CHARS]
    except Exception:
        return ""


def docx_text(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > DOCX_XML_MAX:
                return ""
            xml = archive.read(info).decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError):
        return ""
    xml = re.sub(r"</w:p>", "\n", xml)
    return re.sub(r"<[^>]+>", "", xml)[:MAX_CHARS]


def text_of(kind: str, data: bytes) -> str:
    if kind == "pdf":
        return pdf_text(data)
    if kind == "docx":
        return docx_text(data)
    return ""
