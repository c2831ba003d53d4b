"""WSGI entry point: serve with gunicorn sync workers (see deploy/)."""

import io
import os

from django.core.management import call_command
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings")

application = get_wsgi_application()

# Every manage.py command runs the system checks first; gunicorn runs none. Run them here, so that the
# app does not start where `manage.py check` fails: a database with the demo city's accounts in
# production (demo.E001, T-A10), a missing PDF font (core.E001). An Error raises SystemCheckError, which
# stops the worker's boot; warnings go to stderr, the "no issues" line nowhere.
call_command("check", stdout=io.StringIO())
