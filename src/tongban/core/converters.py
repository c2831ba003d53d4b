"""``<id:…>``, the path converter of every database id in a URL (instead of Django's ``<id:…>``)."""

from __future__ import annotations

# Every primary key is a BigAutoField (settings.DEFAULT_AUTO_FIELD): a signed 64-bit column.
MAX_ID = 2**63 - 1


class IdConverter:
    """A database id, 1 to 2**63-1. A larger number matches no URL, so it answers 404: passed on to a
    query, the database refuses it (PostgreSQL: DataError, SQLite: OverflowError), which would be a 500.
    Registered by CoreConfig.ready(); core/tests/test_url_ids.py keeps ``<id:…>`` out of every URLconf."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(value)  # no match: the resolver tries the next pattern, then answers 404
        return number

    def to_url(self, value: int | str) -> str:
        return str(value)
