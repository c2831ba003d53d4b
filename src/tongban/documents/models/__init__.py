"""公文 models, one module per area: the document itself (``document``); each area adds its module and
imports it here."""

from tongban.documents.models.document import (
    BodyVersion,
    DeliveryState,
    DocumentKind,
    DocumentRecipient,
    DocumentStatus,
    DocumentTemplate,
    IssuingBody,
    OfficialDocument,
    RecipientKind,
    Secrecy,
    Urgency,
)
from tongban.documents.models.incoming import HandlingStatus, IncomingState, ReceivedDocument
from tongban.documents.models.numbering import DocumentNumber, NumberCounter, NumberState

__all__ = [
    "BodyVersion",
    "DeliveryState",
    "DocumentKind",
    "DocumentNumber",
    "DocumentRecipient",
    "DocumentStatus",
    "DocumentTemplate",
    "HandlingStatus",
    "IncomingState",
    "IssuingBody",
    "NumberCounter",
    "NumberState",
    "OfficialDocument",
    "ReceivedDocument",
    "RecipientKind",
    "Secrecy",
    "Urgency",
]
