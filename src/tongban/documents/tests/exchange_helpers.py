"""A sealed document with three recipients on the platform and one outside it, and their clerks."""

from dataclasses import dataclass

from conftest import make_staff

from tongban.documents.models import DocumentRecipient, OfficialDocument, RecipientKind
from tongban.documents.roles import DOCUMENT_CLERK
from tongban.documents.tests.factories import DocumentRecipientFactory, SealedDocumentFactory
from tongban.organizations.tests.factories import DepartmentFactory


@dataclass
class Exchange:
    document: OfficialDocument
    sender_clerk: object
    recipients: list[DocumentRecipient]  # the three on the platform, 主送 first
    clerks: list[object]  # their 文书人员, in the same order
    outside: DocumentRecipient


def sealed_exchange() -> Exchange:
    document = SealedDocumentFactory()
    sender_clerk = make_staff("sender_clerk", document.issuing_body.department, DOCUMENT_CLERK)
    names = ["云州市财政局", "云州市民政局", "云州市教育局"]
    recipients, clerks = [], []
    for position, name in enumerate(names):
        department = DepartmentFactory(name=name, short_name=name.removeprefix("云州市"))
        recipients.append(
            DocumentRecipientFactory(
                document=document,
                department=department,
                kind=RecipientKind.MAIN if position < 2 else RecipientKind.COPY,
                position=position,
            )
        )
        clerks.append(make_staff(f"clerk_{position}", department, DOCUMENT_CLERK))
    outside = DocumentRecipientFactory(
        document=document, department=None, name="邻州市人民政府办公室", kind=RecipientKind.COPY, position=9
    )
    return Exchange(document, sender_clerk, recipients, clerks, outside)
