"""Downloading a form upload. Who may see one is the caller's decision (an applicant their own, the
department handling the case, the approvers of an internal request): ``upload_response`` takes it as
``may_see``; the one view here serves an upload to the person who uploaded it."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from tongban.schemaforms.models import FormUpload
from tongban.schemaforms.selectors import get_upload
from tongban.schemaforms.types import UploadInfo


def upload_response(upload_id: str, *, may_see: Callable[[UploadInfo], bool]) -> FileResponse:
    """The upload as an attachment, never rendered by the browser (T-C1, T-C2); 404 when it does not
    exist or ``may_see`` says no (no difference shows, T-C7)."""
    info = get_upload(upload_id)
    if info is None or not may_see(info):
        raise Http404
    upload = FormUpload.objects.get(pk=info.id)
    response = FileResponse(upload.file.open("rb"), as_attachment=True, filename=upload.original_name)
    response["Content-Security-Policy"] = "sandbox"
    return response


@require_GET
@login_required
def own_upload(request: HttpRequest, upload_id: str) -> FileResponse:
    """A file the signed-in person uploaded into a form (what 已上传 links to on the form itself)."""
    return upload_response(str(upload_id), may_see=lambda info: info.owner_id == request.user.pk)
