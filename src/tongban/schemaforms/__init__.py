"""Application forms defined as JSON Schema plus a UI schema, rendered and checked on the server.

Catalog staff edit each item's form as a pair; ``validate_schema(schema, ui_schema)`` refuses what the
portal cannot render or check, with a Chinese message naming the field (it also runs the JSON Schema
meta-schema, which ``SchemaForm`` skips on each request). The portal builds a
``SchemaForm``, renders it with the templates below inside ``<form method="post" novalidate>``, and
checks the POST on the server (UX.md: no JavaScript needed, answers kept on error).

Supported JSON Schema (anything else is refused):

- Top level: ``{"type": "object", "properties": {…}, "required": […]}``; also ``$schema``, ``$id``,
  ``title``, ``description`` and ``"additionalProperties": false``. Property names are code:
  lower-case ASCII letters, digits and ``_``, starting with a letter, at most 40 characters.
- ``string``: ``maxLength`` is required (1–2000; T-K3: every answer is length-checked before any
  pattern runs). Then one of:
    - free text: ``minLength``, ``pattern`` (JSON Schema search semantics, ASCII ``\\d``/``\\w``;
      no nested or alternated repeats such as ``(a+)+``; needs ``ui:patternMessage``);
    - ``enum``: radios (default) or a select; labels from ``ui:labels``;
    - ``format``: ``date`` (three fields 年/月/日, ISO answer), ``email``, ``phone`` (11-digit mainland
      mobile), ``resident_id`` (GB 11643 check character), ``uscc`` (GB 32100 check character).
      Spaces, hyphens, full-width digits and a ``+86`` prefix are accepted in identifiers and phones.
- ``integer`` / ``number``: ``minimum``, ``maximum``.
- ``boolean``: 是/否 radios, or with ``"ui:widget": "checkbox"`` a single checkbox (a consent or
  declaration: when required, it must be ticked).
- ``array``: ``{"items": {"type": "string", "enum": […]}}``, optionally ``"uniqueItems": true``:
  checkboxes; the answer lists the chosen values in ``enum`` order.
- ``object``: one level of nesting, rendered as a ``<fieldset>`` whose legend is its ``ui:label``;
  its own ``required`` says which of its fields must be answered; its answer is always present.

UI schema: ``{"ui:order": [names], "<name>": {…}}`` where each field may have ``ui:label`` (required,
Chinese, unique in the form: messages and 修改 links name the field by it), ``ui:help``,
``ui:widget`` (``textarea``, ``radio``, ``select``, ``checkbox``, ``date3``), ``ui:autocomplete`` (an
HTML token; ``bday`` for dates), ``ui:prefill`` (a key of PREFILL_KEYS), ``ui:labels`` (for
``enum`` values, array items, or the two boolean radios), ``ui:past`` (dates: must be before today)
and ``ui:patternMessage``. A nested object's entry holds its own ``ui:label``, ``ui:help``,
``ui:order`` and its fields' entries.

Templates (``schemaforms/``): ``_error_summary.html`` and ``_fields.html`` take ``form``;
``_answers.html`` takes ``form`` (built with ``initial=`` the saved answers) and ``change_url``. The
page itself adds the ``错误：`` title prefix when ``form.errors``.

Resident ID numbers: ``BoundField.answer`` shows them masked (1101**********1234, UX.md), and
``resident_id_paths(schema, ui_schema)`` names the fields that hold one, so that the app storing the
answers can keep those numbers encrypted (applications.answers, T-M7).
"""

from tongban.schemaforms.definition import validate_schema
from tongban.schemaforms.form import (
    AnswerSection,
    BoundField,
    Choice,
    DatePart,
    SchemaForm,
    mask_resident_id,
    prefill,
    resident_id_paths,
)
from tongban.schemaforms.spec import PREFILL_KEYS, FormSchemaError

__all__ = [
    "PREFILL_KEYS",
    "AnswerSection",
    "BoundField",
    "Choice",
    "DatePart",
    "FormSchemaError",
    "SchemaForm",
    "mask_resident_id",
    "prefill",
    "resident_id_paths",
    "validate_schema",
]
