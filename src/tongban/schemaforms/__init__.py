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

- ``"format": "attachment"`` (string, no ``maxLength`` needed): a file input; ``x-accept`` lists the
  types (``pdf``, ``jpg``, ``png``, ``ofd``; default pdf, jpg, png) and ``x-max-mb`` the size (1–50,
  default 10). A posted file goes through ``core.uploads`` (type from the content, limits) and the
  virus scan, and is kept at once as a ``FormUpload`` (``services.store_form_upload``; at most
  ``MAX_UPLOADS_PER_DAY`` per person in 24 hours): the answer is its id, and a page re-rendered with errors keeps it (a hidden ``<name>-keep``; an optional field
  also offers 移除). A refused file is a field error and is never stored. ``SchemaForm`` then needs
  ``files=request.FILES`` and ``owner_id`` (who uploads), and the page's ``<form>`` needs
  ``enctype="multipart/form-data"`` when ``form.is_multipart``. A posted upload id counts only when
  its owner is posting or it is the field's saved answer. Downloads: ``views.upload_response(id,
  may_see=…)`` for the caller's own view (who may see is the caller's rule);
  ``schemaforms:own-upload`` serves the uploader's own files.
- 明细表 (repeating rows): ``"type": "array"`` whose ``items`` is ``{"type": "object", "properties":
  {…}, "required": […]}`` of scalar columns (text, enum, date, integer, number, boolean), with
  ``minItems`` / ``maxItems`` (at most 100; required means at least one row). A table with a
  labelled control per cell, 删除 per row and 增加一行: plain submit buttons, so rows are added and
  removed without JavaScript (``form.is_editing_rows``: the page comes back, nothing is refused or
  saved). Blank rows are dropped; a cell's error reads «第2行“数量”：数量须为整数» and links to the
  cell. The answer is a list of objects. A number column with ``"x-product": ["quantity",
  "unit_price"]`` is computed per row (read-only). Column UI entries sit in the field's UI entry, as
  for a nested object, with their own ``ui:order``.
- Totals: ``{"type": "number", "x-sum": "<array>.<number column>"}`` after its table: read-only,
  worked out on the server on every check (a posted value is never read), shown live by the script.
  Amounts are added as Decimal and rounded to fen (2 places, half up); the answer is a JSON number
  (an int when whole), shown as 12,345.60 (a total of an integer column without fen).
- Conditional fields: ``"x-when": {"field": "<earlier top-level field>", "<op>": value}`` on a
  top-level field, op one of ``equals``, ``not_equals``, ``in`` (a list), ``gt``, ``gte``, ``lt``,
  ``lte`` (numbers, totals and dates only; dates as ISO text). The field is asked, and required if in
  ``required``, only when the condition holds; otherwise its answer is dropped on clean and it is
  left out of the answers page. An unanswered field satisfies no condition. Without JavaScript the
  field shows with «仅当…时填写»; the script hides it while the condition does not hold. Refused at
  definition time: an unknown field, a field after it (or itself), an unknown op, an op the field's
  kind cannot compare, a value the field cannot have.

The script ``schemaforms/schemaforms.js`` (static, loaded by ``_fields.html`` only when the form
computes or hides something) only updates what is shown; everything works without it.

UI schema: ``{"ui:order": [names], "<name>": {…}}`` where each field may have ``ui:label`` (required,
Chinese, unique in the form: messages and 修改 links name the field by it), ``ui:help``,
``ui:widget`` (``textarea``, ``radio``, ``select``, ``checkbox``, ``date3``), ``ui:autocomplete`` (an
HTML token; ``bday`` for dates), ``ui:prefill`` (a key of PREFILL_KEYS), ``ui:labels`` (for
``enum`` values, array items, or the two boolean radios), ``ui:past`` (dates: must be before today)
and ``ui:patternMessage``. A nested object's entry holds its own ``ui:label``, ``ui:help``,
``ui:order`` and its fields' entries.

Examples: ``examples/purchase_request.json`` (采购申请: rows, per-row amounts, total, 超预算说明 when
the total exceeds 50000, 报价单) and ``examples/leave_request.json`` (请假: 证明材料 for 病假).

Templates (``schemaforms/``): ``_error_summary.html`` and ``_fields.html`` take ``form``;
``_answers.html`` takes ``form`` (built with ``initial=`` the saved answers) and ``change_url``. The
page itself adds the ``错误：`` title prefix when ``form.errors``.

Resident ID numbers: ``BoundField.answer`` shows them masked (1101**********1234, UX.md), and
``resident_id_paths(schema, ui_schema)`` names the fields that hold one, so that the app storing the
answers can keep those numbers encrypted (applications.answers, T-M7).
"""

from tongban.schemaforms.bound import AnswerSection, BoundField, Choice, DatePart, Row, mask_resident_id
from tongban.schemaforms.definition import validate_schema
from tongban.schemaforms.form import SchemaForm, attachment_keys, prefill, resident_id_paths
from tongban.schemaforms.spec import PREFILL_KEYS, FormSchemaError

__all__ = [
    "PREFILL_KEYS",
    "AnswerSection",
    "BoundField",
    "Choice",
    "DatePart",
    "FormSchemaError",
    "Row",
    "SchemaForm",
    "attachment_keys",
    "mask_resident_id",
    "prefill",
    "resident_id_paths",
    "validate_schema",
]
