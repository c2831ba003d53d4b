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
from tongban.documents.models.exchange import ExchangeKey
from tongban.documents.models.flow import CountersignDepartment, DocumentEvent
from tongban.documents.models.incoming import HandlingStatus, IncomingState, ReceivedDocument
from tongban.documents.models.numbering import DocumentNumber, NumberCounter, NumberState
from tongban.documents.models.registering import (
    Circulation,
    HandlingAssignment,
    HandlingAttachment,
    IncomingHandling,
    IncomingNudge,
    RegistrationCounter,
)
from tongban.documents.models.sealing import SealAuthority, SealCertificate

__all__ = [
    "BodyVersion",
    "Circulation",
    "CountersignDepartment",
    "DeliveryState",
    "DocumentEvent",
    "DocumentKind",
    "DocumentNumber",
    "DocumentRecipient",
    "DocumentStatus",
    "DocumentTemplate",
    "ExchangeKey",
    "HandlingAssignment",
    "HandlingAttachment",
    "HandlingStatus",
    "IncomingHandling",
    "IncomingNudge",
    "IncomingState",
    "IssuingBody",
    "NumberCounter",
    "NumberState",
    "OfficialDocument",
    "ReceivedDocument",
    "RecipientKind",
    "RegistrationCounter",
    "SealAuthority",
    "SealCertificate",
    "Secrecy",
    "Urgency",
]
