"""A checked form definition: FieldSpec, the limits of the supported subset, and the error that
refuses a definition outside it (the reading is in ``definition``)."""

from __future__ import annotations

from dataclasses import dataclass

from tongban.core.errors import TongbanError

NAME_MAX_LENGTH = 40
MAX_FIELDS = 200
MAX_STRING_LENGTH = 2000  # the largest maxLength: bounds every answer before any check (T-K3)
MAX_PATTERN_LENGTH = 500
MAX_CHOICES = 100
MAX_LABEL_LENGTH = 200
MAX_HELP_LENGTH = 2000
EMAIL_MAX_LENGTH = 254  # RFC 5321: the longest address mail servers accept

FORMATS = ("date", "email", "phone", "resident_id", "uscc", "attachment")
MAX_ROWS = 100  # the largest maxItems of a 明细表: bounds what one POST can make the server check
ATTACHMENT_TYPES = ("pdf", "jpg", "png", "ofd")  # core.uploads.KINDS
ATTACHMENT_DEFAULT_TYPES = ("pdf", "jpg", "png")
ATTACHMENT_DEFAULT_MB = 10
WHEN_OPS = ("equals", "not_equals", "in", "gt", "gte", "lt", "lte")
# The shortest maxLength that still holds a valid answer.
FORMAT_MIN_LENGTH = {"date": 10, "phone": 11, "resident_id": 18, "uscc": 18}
PREFILL_KEYS = frozenset(
    {
        "account.full_name",
        "account.phone",
        "account.resident_id",
        "enterprise.name",
        "enterprise.uscc",
        # From the base registries through the exchange (sharing.services.prefill_values).
        "person.household_address",
        "enterprise.legal_representative",
        "enterprise.address",
    }
)
AUTOCOMPLETE = frozenset(
    {
        "off",
        "name",
        "family-name",
        "given-name",
        "sex",
        "tel",
        "tel-national",
        "email",
        "street-address",
        "address-line1",
        "address-line2",
        "postal-code",
        "organization",
        "organization-title",
    }
)
DATE_AUTOCOMPLETE = frozenset({"off", "bday"})
UI_WIDGETS = ("textarea", "radio", "select", "checkbox", "date3")


class FormSchemaError(TongbanError):
    """A form definition outside the supported subset. ``details`` lists every problem for staff;
    the message is the first of them."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0], code="form_schema_invalid", details=problems)


@dataclass(frozen=True)
class Condition:
    """``x-when``: the field is asked only when the answer of ``field`` (an earlier top-level field)
    compares with ``value`` by ``op`` (one of WHEN_OPS). ``value`` is a JSON value: text, a number, a
    boolean, an ISO date, or for ``in`` a tuple of those."""

    field: str
    op: str
    value: str | int | float | bool | tuple[str | int | float | bool, ...]


@dataclass(frozen=True)
class FieldSpec:
    """One property of a checked definition. ``kind`` is what the answer is (text, choice, date,
    integer, number, boolean, choices, group, rows, total, attachment); ``widget`` how it is asked.

    A 明细表 (kind ``rows``) has its columns as ``children`` (paths "items.price"); a computed column
    names the two columns it multiplies in ``product_of``; a total (kind ``total``) names the column
    it adds up in ``sum_of`` ("items.amount")."""

    path: str  # "applicant.name"
    kind: str
    widget: str  # text, textarea, radio, select, checkbox, checkboxes, date3, group
    label: str
    required: bool
    help: str = ""
    format: str = ""  # email, phone, resident_id, uscc (text); date fields have kind "date"
    max_length: int = 0
    min_length: int = 0
    pattern: str = ""
    pattern_message: str = ""
    options: tuple[tuple[str, str], ...] = ()  # (value, label); "yes"/"no" for boolean radios
    minimum: int | float | None = None
    maximum: int | float | None = None
    past_only: bool = False
    autocomplete: str = ""
    prefill: str = ""
    children: tuple[FieldSpec, ...] = ()
    min_items: int = 0
    max_items: int = 0
    product_of: tuple[str, ...] = ()  # a computed row column: the keys of the two columns multiplied
    sum_of: str = ""  # a total: "rows.column"
    when: Condition | None = None
    accept: tuple[str, ...] = ()  # an attachment's file types (keys of core.uploads.KINDS)
    max_mb: int = 0

    @property
    def key(self) -> str:
        return self.path.rpartition(".")[2]

    @property
    def name(self) -> str:
        """The POST name: keys never contain "-", so "applicant-name" is unambiguous."""
        return self.path.replace(".", "-")
