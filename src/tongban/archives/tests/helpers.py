"""Archive 件 for tests, made through the service as documents does (plain values and bytes)."""

import datetime
import io
import json

from pypdf import PdfWriter

from tongban.archives.services import archive_record


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


BLANK_PDF = _blank_pdf()


def archive(
    department,
    user,
    *,
    source="document:1",
    retention="D30",
    title="关于做好冬季安全生产工作的通知",
    **overrides,
):
    values = {
        "source": source,
        "source_kind": "outgoing",
        "department_id": department.pk,
        "kind": "通知",
        "title": title,
        "document_number": "云州府办〔2026〕12号",
        "responsible": "云州市人民政府办公室",
        "date": datetime.date(2026, 12, 7),
        "secrecy": "",
        "page_count": 1,
        "retention": retention,
        "metadata": {
            "process": [{"name": "签发", "completed_at": "2026-12-07T10:00:00+08:00"}],
            "sealed_files": ["sealed.pdf"],
        },
        "files": [
            ("sealed.pdf", BLANK_PDF),
            ("form.json", json.dumps({"title": title}, ensure_ascii=False).encode()),
            ("body-v1.html", "<p>正文</p>".encode()),
        ],
        "user_id": user.id,
    }
    return archive_record(**{**values, **overrides})
