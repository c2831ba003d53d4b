"""Logs are one JSON object per line, values encoded: input cannot forge a record (T-J3)."""

import io
import json
import logging

import pytest

from tongban.core.logging import JsonFormatter

FORGED = 'x\n{"event":"login_ok","level":"INFO"}\r\u2028'


@pytest.fixture
def log_lines():
    """What the configured console handler writes, line by line."""
    [handler] = [h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter)]
    stream = io.StringIO()
    # Swapped without setStream(), which flushes the old stream: an earlier test (manage.main() under
    # capsys) may have left the handler on a stream pytest has closed since.
    previous, handler.stream = handler.stream, stream
    yield lambda: stream.getvalue().splitlines()
    handler.stream = previous


def test_T_J3_a_username_and_a_path_with_newlines_stay_inside_one_json_record(client, db, log_lines):
    client.post("/staff/login/", {"username": FORGED, "password": "wrong-Pass-1"})
    response = client.get("/nowhere/x%0A%7B%22event%22%3A%22login_ok%22%7D")
    assert response.status_code == 404
    records = [json.loads(line) for line in log_lines()]  # every line is a whole JSON object
    assert {"event"}.isdisjoint(set().union(*records))
    assert [r["message"] for r in records if r["logger"] == "django.request"][-1] == (
        'Not Found: /nowhere/x\\n{"event":"login_ok"}'  # Django escapes it too
    )
    staff_refusals = [r for r in records if r["logger"] == "tongban.accounts.services.staff"]
    assert len(staff_refusals) == 1
    assert "login_ok" not in staff_refusals[0]["message"]  # the typed username is never logged (T-M2)
    assert all(len(r["request_id"]) == 32 for r in staff_refusals)


def test_fields_of_a_record_are_written_beside_the_message_and_cannot_replace_it(log_lines):
    logging.getLogger("tongban.test").warning(
        "upload refused", extra={"fields": {"sha256": "ab" * 32, "message": FORGED, "size": 3}}
    )

    [record] = [json.loads(line) for line in log_lines()]
    assert (record["message"], record["sha256"], record["size"], record["level"]) == (
        "upload refused",
        "ab" * 32,
        3,
        "WARNING",
    )
