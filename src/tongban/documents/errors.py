"""Refusals of the 公文 services, with messages for the person who asked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tongban.core.errors import ConflictError, TongbanError

if TYPE_CHECKING:
    from tongban.documents.rules import Violation


class DocumentError(TongbanError):
    """A refused request about an official document (a bad value: HTTP 400)."""


class DocumentNotFound(DocumentError):
    """Not there, or not the person's to act on (the same answer for both)."""

    status = 404


class DocumentPermissionError(DocumentError):
    """The person does not hold the role this needs for the document (HTTP 403)."""

    status = 403


class DocumentStateError(DocumentError, ConflictError):
    """The document's state forbids the operation now (HTTP 409)."""

    status = 409


class DocumentLockedError(DocumentError, ConflictError):
    """The document may not be changed by this person now: signed off (签发), or not on their step (409)."""

    status = 409


class DocumentRulesError(DocumentError):
    """The 发文单 breaks the rules of the regulation (documents.rules); nothing was saved."""

    def __init__(self, violations: list[Violation]) -> None:
        errors = [v for v in violations if v.is_error]
        super().__init__(
            "；".join(v.message for v in errors), code="rules", details=[v.message for v in errors]
        )
        self.violations = errors
