"""Start-up check: production never runs on a database with the demo city's accounts (T-A10)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.db import DatabaseError

from tongban.demo.models import DemoCity


def no_demo_accounts_in_production(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """An Error, so every manage.py command and the WSGI start-up (tongban/wsgi.py) stop, when
    TONGBAN_DEBUG=false and load_demo_city has put its accounts into the database."""
    if settings.DEBUG:
        return []
    try:
        loaded = DemoCity.objects.exists()
    except DatabaseError:  # no database or no tables yet: nothing was loaded into it
        return []
    if not loaded:
        return []
    return [
        Error(
            "This database holds the demo city's accounts (manage.py load_demo_city), whose password is "
            "published; production (TONGBAN_DEBUG=false) does not start on it.",
            hint="Run production on a new database (manage.py migrate on an empty one). To keep this one, "
            "first disable the demo accounts: manage.py remove_demo_accounts.",
            id="demo.E001",
        )
    ]
