"""Log records as one JSON object per line (T-J3).

Every value is JSON-encoded, so a newline or a quote typed by a user (a username, a URL path) stays
inside its string: it cannot end the record or forge another one. Each record carries the UTC time,
level, logger, message, the request id (``core.requests``) and the exception, when there is one. A
record logged with ``extra={"fields": {...}}`` carries those values too, under their own names (never
replacing the ones above): ``logger.warning("upload refused", extra={"fields": {"sha256": digest}})``."""

from __future__ import annotations

import datetime as dt
import json
import logging

from tongban.core.requests import current_request_id

LINE_BREAKS = str.maketrans({"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if request_id := current_request_id():
            entry["request_id"] = request_id
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            for name, value in fields.items():
                entry.setdefault(str(name), value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        text = json.dumps(entry, ensure_ascii=False, default=str)
        # json escapes control characters; these three also end a line for some readers.
        return text.translate(LINE_BREAKS)
