"""The 套红 and 用印 PDFs of a 发文 (downloads within the 知悉范围) and the 用印 action. The 发文 step
pages (doc-flow) link here and call ``services.output`` themselves; these views stay minimal."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tongban.accounts.access import staff_only
from tongban.core.errors import TongbanError
from tongban.documents.services import output
from tongban.documents.views.common import visible_document


def _pdf(file_field, filename: str) -> FileResponse:
    if not file_field:
        raise Http404
    return FileResponse(
        file_field.open("rb"), content_type="application/pdf", as_attachment=True, filename=filename
    )


@require_GET
@staff_only
def typeset_pdf(request: HttpRequest, document_id: int) -> FileResponse:
    """套红 (unsealed) PDF."""
    document = visible_document(request, document_id, event="document.typeset_pdf")
    return _pdf(document.typeset_pdf, f"document-{document.pk}-typeset.pdf")


@require_GET
@staff_only
def sealed_pdf(request: HttpRequest, document_id: int) -> FileResponse:
    """用印 (sealed) PDF: a PAdES signature any PDF reader checks; ``tongban verify-document`` too."""
    document = visible_document(request, document_id, event="document.sealed_pdf")
    return _pdf(document.sealed_pdf, f"document-{document.pk}-sealed.pdf")


@require_POST
@staff_only
def seal(request: HttpRequest, document_id: int) -> HttpResponse:
    """用印 (T-G1): only the issuing body's 印章管理员, only after 签发 and 套红; 403/409 with the reason."""
    document = visible_document(request, document_id, event="document.seal_page")
    try:
        output.seal_document(document_id=document.pk, user_id=request.user.pk)
    except TongbanError as exc:
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain; charset=utf-8")
    messages.success(request, _("已用印"))
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("documents:sealed_pdf", document_id=document.pk)
