"""What every 公文 page does first: find the document within the viewer's 知悉范围 and audit the view
(issue 15: "every view is audited"), or answer 404 and audit the refusal."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from tongban.core.audit import record_request
from tongban.documents.access import get_document_for, get_received_for
from tongban.documents.models import OfficialDocument, ReceivedDocument


def visible_document(
    request: HttpRequest, document_id: int, *, event: str = "document.view"
) -> OfficialDocument:
    document = get_document_for(request.user.pk, document_id)
    record_request(
        request, event=event, object_type="document", object_id=document_id, denied=document is None
    )
    if document is None:
        raise Http404
    return document


def visible_received(
    request: HttpRequest, received_id: int, *, event: str = "received.view"
) -> ReceivedDocument:
    received = get_received_for(request.user.pk, received_id)
    record_request(
        request, event=event, object_type="received_document", object_id=received_id, denied=received is None
    )
    if received is None:
        raise Http404
    return received
