"""Helpers for the 正文 tests: a reviewer with an open step of a document (so may_edit_body holds for
them), and Word documents built with python-docx."""

import io

from docx import Document

from tongban.documents.roles import DOCUMENT_REVIEWER
from tongban.workflow import services as workflow_services
from tongban.workflow.tests.helpers import chain

REVIEW = chain([("review", "核稿", {"role": DOCUMENT_REVIEWER, "step": "approve"})])


def open_review(document) -> None:
    """Start a one-step 核稿 process on the document: its department's 核稿人员 may edit the 正文."""
    workflow_services.install_definition(key="document_review_test", data=REVIEW, family="document")
    workflow_services.start_instance(
        definition_key="document_review_test",
        subject=document.subject,
        department_id=document.drafting_department_id,
        data={},
    )


def word_file(*paragraphs: tuple[str, str]) -> bytes:
    """A DOCX of (style, text) paragraphs; style "" is a plain paragraph, "Heading 1" a heading."""
    word = Document()
    for style, text in paragraphs:
        if style:
            word.add_paragraph(text, style=style)
        else:
            word.add_paragraph(text)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
