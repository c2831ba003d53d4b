"""The platform's settings as they are, plus the query-count header (bench/city/querycount.py)."""

from tongban.settings import *  # noqa: F403

MIDDLEWARE = ["city.querycount.QueryCountMiddleware", *MIDDLEWARE]  # noqa: F405
