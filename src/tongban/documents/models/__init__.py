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

__all__ = [
    "BodyVersion",
    "DeliveryState",
    "DocumentKind",
    "DocumentRecipient",
    "DocumentStatus",
    "DocumentTemplate",
    "IssuingBody",
    "OfficialDocument",
    "RecipientKind",
    "Secrecy",
    "Urgency",
]
