"""正文 pages: the editor (and Word upload), the Word download, and the versions with their 修订 marks."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongban.accounts.access import staff_only
from tongban.documents import body
from tongban.documents.access import may_edit_body
from tongban.documents.errors import DocumentError
from tongban.documents.models import OfficialDocument
from tongban.documents.services import body as body_services
from tongban.documents.views.common import visible_document

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The page's own headings are h1 and h2: the 正文's 一级标题 shows as h3.
HEADING_SHIFT = 2


def _page(
    request: HttpRequest,
    document: OfficialDocument,
    *,
    html: str | None = None,
    errors: list[tuple[str, str]] | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    editable = may_edit_body(request.user.pk, document)
    clean = body_services.current_html(document.pk)
    context: dict[str, Any] = {
        "document": document,
        "editable": editable and not refusal,
        "html": html if html is not None else body_services.starting_html(document.pk),
        "clean_html": body.shift_headings(clean, by=HEADING_SHIFT),
        "has_body": bool(clean),
        "errors": errors or [],
        "refusal": refusal,
        "version_count": len(body_services.versions_of(document.pk)),
        "docx_max_mb": body_services.DOCX_MAX_MB,
    }
    return render(request, "documents/body.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_only
def body_page(request: HttpRequest, document_id: int) -> HttpResponse:
    """正文: the editor with the current text and 保存; the clean text only for those who may not edit."""
    document = visible_document(request, document_id, event="document.body")
    if request.method == "GET":
        return _page(request, document)
    html = request.POST.get("html", "")
    before = body_services.current_html(document.pk)
    try:
        version_id = body_services.save_body(document_id=document.pk, user_id=request.user.pk, html=html)
    except DocumentError as exc:
        if exc.status == 409:
            return _page(request, document, refusal=exc.message, status=409)
        return _page(request, document, html=html, errors=[("id_html", exc.message)], status=exc.status)
    number = next(v.number for v in body_services.versions_of(document.pk) if v.id == version_id)
    if body_services.current_html(document.pk) == before:
        messages.info(request, _("正文没有改动，仍为第%(number)d版") % {"number": number})
    else:
        messages.success(request, _("已保存正文（第%(number)d版）") % {"number": number})
    return redirect("documents:body", document_id=document.pk)


@require_POST
@staff_only
def body_upload(request: HttpRequest, document_id: int) -> HttpResponse:
    """上传 Word 文档: its text replaces the 正文 (a version like a save)."""
    document = visible_document(request, document_id, event="document.body_upload")
    upload = request.FILES.get("docx")
    try:
        if upload is None:
            raise DocumentError(_("请选择 Word 文档"), code="no_file")
        if upload.size is not None and upload.size > body_services.DOCX_MAX_MB * body_services.MB:
            raise DocumentError(
                _("所选文件须小于 %(size)sMB") % {"size": body_services.DOCX_MAX_MB}, code="too_large"
            )
        data = upload.read(body_services.DOCX_MAX_MB * body_services.MB + 1)
        version_id = body_services.import_docx(document_id=document.pk, user_id=request.user.pk, data=data)
    except DocumentError as exc:
        if exc.status == 409:
            return _page(request, document, refusal=exc.message, status=409)
        return _page(request, document, errors=[("id_docx", exc.message)], status=exc.status)
    number = next(v.number for v in body_services.versions_of(document.pk) if v.id == version_id)
    messages.success(request, _("已导入 Word 文档（第%(number)d版）") % {"number": number})
    return redirect("documents:body", document_id=document.pk)


@require_GET
@staff_only
def body_docx(request: HttpRequest, document_id: int) -> HttpResponse:
    """The clean 正文 as a Word document."""
    document = visible_document(request, document_id, event="document.body_docx")
    response = HttpResponse(body_services.docx_of(document.pk), content_type=DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{document.title}.docx")
    return response


@require_GET
@staff_only
def revisions(request: HttpRequest, document_id: int) -> HttpResponse:
    """正文 versions: each with its author and time, and its 修订 against the version before; or the
    clean text (清稿) of the latest version."""
    document = visible_document(request, document_id, event="document.revisions")
    versions = body_services.versions_of(document.pk)
    show_clean = request.GET.get("view") == "clean"
    rows = []
    for previous, version in zip([None, *versions], versions, strict=False):
        # The first version has no 修订: compared with itself, every block is unchanged.
        marks = body.revision_marks(previous.html if previous else version.html, version.html)
        rows.append({"version": version, "marks": marks, "is_first": previous is None})
    context = {
        "document": document,
        "rows": list(reversed(rows)),
        "show_clean": show_clean,
        "clean_html": body.shift_headings(versions[-1].html, by=HEADING_SHIFT) if versions else "",
    }
    return render(request, "documents/revisions.html", context)
