# One image for every role of deploy/compose.yaml (web, worker, beat, collectstatic): Debian 12 with its
# own Python 3.11, the app and its vendored front-end files. No secret is baked in: the settings come
# from the environment at run time (deploy/env.example).
# Build from a checkout after `make assets` (the vendored htmx, bpmn-js … under src/tongban/static/vendor).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 TONGBAN_APP_DIR=/opt/tongban/src \
    TONGBAN_STATIC_ROOT=/srv/tongban/static TONGBAN_MEDIA_ROOT=/srv/tongban/media
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends \
        fonts-wqy-zenhei poppler-utils gettext libpq5 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /opt/tongban --shell /usr/sbin/nologin tongban
WORKDIR /opt/tongban
COPY pyproject.toml README.md manage.py ./
COPY src src
COPY deploy deploy
RUN python -m venv .venv && .venv/bin/pip install -q --no-cache-dir . gunicorn \
    && TONGBAN_DEBUG=true .venv/bin/python manage.py compilemessages -v 0 \
    && mkdir -p /srv/tongban/static /srv/tongban/media && chown -R tongban:tongban /srv/tongban
USER tongban
EXPOSE 8000
# The web role; compose.yaml gives worker and beat their own command.
CMD [".venv/bin/gunicorn", "-c", "deploy/gunicorn.conf.py", "--bind", "0.0.0.0:8000"]
