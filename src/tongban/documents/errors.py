"""The refusals of the 发文 pages and services, with messages for the person (issue 15)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tongban.core.errors import ConflictError, TongbanError

if TYPE_CHECKING:
    from tongban.documents.rules import Violation


class DocumentError(TongbanError):
    """A refused 发文 operation (拟稿, 发文单, 办理, 签发)."""


class DocumentNotFound(DocumentError):
    """Not there, or outside the viewer's 知悉范围 (the same answer for both)."""

    status = 404


class DocumentStateError(DocumentError, ConflictError):
    """The document's state forbids it now, e.g. a change after 签发 (HTTP 409)."""

    status = 409


class DocumentRulesError(DocumentError):
    """The 发文单 breaks the rules of the regulation (documents.rules); nothing was saved."""

    def __init__(self, violations: list[Violation]) -> None:
        errors = [v for v in violations if v.is_error]
        super().__init__(
            "；".join(v.message for v in errors), code="rules", details=[v.message for v in errors]
        )
        self.violations = errors
