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
from tongban.documents.models.flow import CountersignDepartment, DocumentEvent
from tongban.documents.models.incoming import HandlingStatus, IncomingState, ReceivedDocument

__all__ = [
    "BodyVersion",
    "CountersignDepartment",
    "DeliveryState",
    "DocumentEvent",
    "DocumentKind",
    "DocumentRecipient",
    "DocumentStatus",
    "DocumentTemplate",
    "HandlingStatus",
    "IncomingState",
    "IssuingBody",
    "OfficialDocument",
    "ReceivedDocument",
    "RecipientKind",
    "Secrecy",
    "Urgency",
]
