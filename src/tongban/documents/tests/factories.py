"""Factories for 公文 rows in a given state. A document's workflow states come from the services;
these make the rows a test starts from (a draft, a sealed document, a delivered 收文 …)."""

import datetime
import hashlib
import uuid

import factory
from django.utils import timezone

from tongban.accounts.tests.factories import StaffFactory
from tongban.documents.models import (
    BodyVersion,
    DocumentKind,
    DocumentRecipient,
    DocumentTemplate,
    IssuingBody,
    OfficialDocument,
    ReceivedDocument,
    RecipientKind,
)
from tongban.organizations.tests.factories import DepartmentFactory


class IssuingBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IssuingBody
        django_get_or_create = ("code",)

    department = factory.SubFactory(DepartmentFactory)
    name = "云州市人民政府办公室"
    head_text = "云州市人民政府办公室文件"
    code = "云州府办"


class DocumentTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentTemplate

    name = "通知"
    kind = DocumentKind.NOTICE
    issuing_body = factory.SubFactory(IssuingBodyFactory)
    body_html = "<p>各区人民政府，市政府各部门：</p><p>现将有关事项通知如下。</p>"


class OfficialDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficialDocument

    issuing_body = factory.SubFactory(IssuingBodyFactory)
    kind = DocumentKind.NOTICE
    title = factory.Sequence(lambda n: f"云州市人民政府办公室关于做好第{n + 1}项工作的通知")
    drafter = factory.SubFactory(StaffFactory)
    drafting_department = factory.SelfAttribute("issuing_body.department")
    idempotency_key = factory.LazyFunction(lambda: uuid.uuid4().hex)

    class Params:
        # 签发 done (a signer, the time, the 成文日期), ready for 编号.
        signed_off = factory.Trait(
            signer=factory.SubFactory(StaffFactory),
            signed_off_at=factory.LazyFunction(timezone.now),
            issued_on=datetime.date(2026, 12, 7),
            status="numbering",
        )


class BodyVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BodyVersion

    document = factory.SubFactory(OfficialDocumentFactory)
    number = factory.Sequence(lambda n: n + 1)
    html = "<p>现将有关事项通知如下。</p>"
    author = factory.SelfAttribute("document.drafter")
    saved_at = factory.LazyFunction(timezone.now)


class DocumentRecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentRecipient

    document = factory.SubFactory(OfficialDocumentFactory)
    kind = RecipientKind.MAIN
    department = factory.SubFactory(DepartmentFactory)
    name = factory.SelfAttribute("department.name")


class ReceivedDocumentFactory(factory.django.DjangoModelFactory):
    """A 收文 waiting for 签收 at a department, delivered from a document on the platform."""

    class Meta:
        model = ReceivedDocument

    source_recipient = factory.SubFactory(DocumentRecipientFactory)
    source_document = factory.SelfAttribute("source_recipient.document")
    department = factory.SelfAttribute("source_recipient.department")
    sender_name = factory.SelfAttribute("source_document.issuing_body.name")
    document_number = factory.Sequence(lambda n: f"云州府办〔2026〕{n + 1}号")
    title = factory.SelfAttribute("source_document.title")
    kind = DocumentKind.NOTICE
    pdf_sha256 = hashlib.sha256(b"").hexdigest()
    delivered_at = factory.LazyFunction(timezone.now)


def blank_pdf(pages: int = 1) -> bytes:
    """A small valid PDF (a stand-in for the sealed document where the seal itself is not under test)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


BLANK_PDF = blank_pdf()
SMALL_PDF = BLANK_PDF


class SealedDocumentFactory(OfficialDocumentFactory):
    """A document signed off, numbered and sealed (用印 done), ready for 分发: a stand-in sealed PDF.
    (The fields of the ``signed_off`` trait are set here, since a trait's ``status`` would win.)"""

    signer = factory.SubFactory(StaffFactory)
    signed_off_at = factory.LazyFunction(timezone.now)
    issued_on = datetime.date(2026, 12, 7)
    document_number = factory.Sequence(lambda n: f"云州府办〔2026〕{n + 101}号")
    page_count = 1
    sealed_pdf = factory.django.FileField(filename="sealed.pdf", data=BLANK_PDF)
    sealed_sha256 = hashlib.sha256(BLANK_PDF).hexdigest()
    sealed_at = factory.LazyFunction(timezone.now)
    sealed_by = factory.SubFactory(StaffFactory)
    status = "distributing"


class DistributedDocumentFactory(SealedDocumentFactory):
    """A 发文 numbered, sealed and distributed (已分发), ready for 归档."""

    status = "distributed"
