"""What the catalog hands to other apps and receives from its callers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class LegalBasisData:
    law_name: str
    text: str
    document_number: str = ""
    article: str = ""
    issuer: str = ""
    issued_on: dt.date | None = None


@dataclass(frozen=True)
class SpecialProcedureData:
    kind: str
    limit: int
    limit_unit: str
    basis: str = ""


@dataclass(frozen=True)
class ProcessStepData:
    name: str
    office: str = ""
    handler_role: str = ""
    limit: int = 0
    limit_unit: str = "working_day"
    review_standard: str = ""


@dataclass(frozen=True)
class GuideStep:
    """One line of a guide's 办理流程: a step of the process that actually runs, with what the item's own
    step of that name says (科室, 人员, 时限, 审查标准)."""

    name: str
    department: str = ""  # the department of another lane (并联审批); "" for the item's own
    office: str = ""
    handler_role: str = ""
    limit: int = 0
    limit_unit: str = "working_day"
    review_standard: str = ""
    parallel: bool = False  # runs at the same time as the process's other steps of its kind


@dataclass(frozen=True)
class UploadedFileData:
    """A file to store with a version part (blank form, sample): its display name and bytes."""

    name: str
    content: bytes


@dataclass(frozen=True)
class MaterialData:
    name: str
    material_type: str
    form: str
    necessity: str
    source: str
    originals: int = 0
    copies: int = 0
    notes: str = ""
    basis: str = ""
    allowed_types: tuple[str, ...] = ("pdf", "jpg", "png")
    max_size_mb: int = 10
    blank_form: UploadedFileData | str | None = None  # new bytes, or a stored name kept from a copy
    sample: UploadedFileData | str | None = None


@dataclass(frozen=True)
class FeeData:
    name: str
    standard: str
    basis: str
    waivable: bool = False


@dataclass(frozen=True)
class FaqData:
    question: str
    answer: str


@dataclass(frozen=True)
class ItemDraft:
    """Everything a version holds. Field names are the model's, so no caller maps them by hand."""

    name: str
    kind: str
    power_source: str
    exercise_level: str
    acceptance_conditions: str
    promised_limit: int
    online_depth: int
    result_type: str
    consultation_phone: str
    complaint_phone: str
    summary: str = ""
    serves_natural_persons: bool = True
    serves_legal_persons: bool = False
    entrusted_department: str = ""
    co_departments: str = ""
    rights_obligations: str = ""
    review_contact: str = ""
    litigation_contact: str = ""
    statutory_limit: int | None = None
    statutory_limit_unit: str = "working_day"
    statutory_limit_note: str = ""
    promised_limit_unit: str = "working_day"
    promised_limit_note: str = ""
    is_instant: bool = False
    is_charged: bool = False
    fee_basis: str = ""
    online_payment: bool = False
    accepts_at_window: bool = True
    accepts_online: bool = True
    accepts_by_post: bool = False
    site_visits: int = 0
    site_visit_reason: str = ""
    hall_id: int | None = None
    place_note: str = ""
    hours: str = ""
    supports_appointment: bool = False
    appointment_daily_quota: int = 0
    appointment_rules: str = ""
    materials_by_post: bool = False
    result_by_post: bool = False
    has_self_service_kiosk: bool = False
    cross_region_scope: str = "none"
    result_name: str = ""
    result_sample: UploadedFileData | str | None = None
    consultation_url: str = ""
    consultation_email: str = ""
    complaint_url: str = ""
    complaint_email: str = ""
    complaint_address: str = ""
    form_schema: dict[str, Any] = field(default_factory=dict)
    ui_schema: dict[str, Any] = field(default_factory=dict)
    theme_names: tuple[str, ...] = ()
    legal_bases: tuple[LegalBasisData, ...] = ()
    special_procedures: tuple[SpecialProcedureData, ...] = ()
    steps: tuple[ProcessStepData, ...] = ()
    materials: tuple[MaterialData, ...] = ()
    fees: tuple[FeeData, ...] = ()
    faqs: tuple[FaqData, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class VersionRef:
    item_id: int
    version_id: int
    number: int
    status: str
    implementation_code: str
    name: str


@dataclass(frozen=True)
class MaterialSnapshot:
    id: int
    name: str
    necessity: str
    allowed_types: tuple[str, ...]
    max_size_mb: int
    source: str = "applicant"


@dataclass(frozen=True)
class LimitSnapshot:
    """A named time limit of the item: a process step (办理环节) or a special procedure (特别程序)."""

    name: str
    limit: int
    limit_unit: str


@dataclass(frozen=True)
class ItemSnapshot:
    """What an application needs of the item version it was made for (frozen at that version)."""

    item_id: int
    version_id: int
    implementation_code: str
    name: str
    department_id: int
    promised_limit: int
    promised_limit_unit: str
    is_instant: bool
    accepts_online: bool
    materials: tuple[MaterialSnapshot, ...]
    form_schema: dict[str, Any]
    ui_schema: dict[str, Any]
    steps: tuple[LimitSnapshot, ...] = ()
    special_procedures: tuple[LimitSnapshot, ...] = ()
    result_type: str = ""
    result_name: str = ""


@dataclass(frozen=True)
class PublishedItemRef:
    """A published item as a list of items needs it: which department and which kind of process."""

    item_id: int
    implementation_code: str
    name: str
    department_id: int
    is_instant: bool
    accepts_online: bool
