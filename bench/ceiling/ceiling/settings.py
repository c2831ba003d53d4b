"""The ceiling: a bare Django project on the platform's own database settings.

One model, one view inserting a row and one reading a row by key, served by the same gunicorn settings
and the same database (``DATABASE_URL``, persistent connections on PostgreSQL, WAL on SQLite) as the
platform, so the ratio of a platform path to it is what the platform adds. The query-count middleware
is the one the benchmarked platform server runs too.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]

from tongban import env  # noqa: E402 - the platform's database settings, unchanged

DEBUG = False
SECRET_KEY = "bench-ceiling-only"  # noqa: S105 - serves no one
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["ceiling"]
MIDDLEWARE = ["city.querycount.QueryCountMiddleware"]
ROOT_URLCONF = "ceiling.urls"
WSGI_APPLICATION = "ceiling.wsgi.application"
DATABASES = {"default": env.db("DATABASE_URL", help="The benchmark database.")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
