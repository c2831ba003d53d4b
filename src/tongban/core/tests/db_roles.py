"""Helpers for the PostgreSQL role tests (T-E3, T-J1): a statement the role may not run."""

import pytest
from django.db import DatabaseError, transaction


def refused(cursor, statement: str) -> str:
    """Run ``statement`` expecting the database to refuse it; the error's text."""
    with pytest.raises(DatabaseError) as failure, transaction.atomic():
        cursor.execute(statement)
    return str(failure.value)
