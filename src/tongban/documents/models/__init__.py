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
from tongban.documents.models.registering import (
    Circulation,
    HandlingAssignment,
    HandlingAttachment,
    IncomingHandling,
    IncomingNudge,
    RegistrationCounter,
)

__all__ = [
    "BodyVersion",
    "Circulation",
    "DeliveryState",
    "DocumentKind",
    "DocumentRecipient",
    "DocumentStatus",
    "DocumentTemplate",
    "HandlingAssignment",
    "HandlingAttachment",
    "HandlingStatus",
    "IncomingHandling",
    "IncomingNudge",
    "IncomingState",
    "IssuingBody",
    "OfficialDocument",
    "ReceivedDocument",
    "RecipientKind",
    "RegistrationCounter",
    "Secrecy",
    "Urgency",
]
