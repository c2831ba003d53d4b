# PLACEHOLDER(doc-flow): the owning area (doc-exchange) replaces this at merge
"""分发: the smallest honest stand-in the 发文 process needs — every recipient is marked 已送达 (the real
exchange also makes a 收文 per platform recipient and tells its clerks)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tongban.documents.models import DeliveryState, DocumentRecipient


@transaction.atomic
def distribute_document(*, document_id: int, user_id: int) -> None:
    DocumentRecipient.objects.filter(document_id=document_id, state=DeliveryState.PENDING).update(
        state=DeliveryState.DELIVERED, delivered_at=timezone.now()
    )
