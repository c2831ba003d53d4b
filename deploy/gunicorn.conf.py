"""gunicorn for one app node (docs/deployment.md). Sync workers behind nginx, which buffers requests and
responses (deploy/nginx/), so a slow client never holds a worker (THREATS T-K1).

    gunicorn -c deploy/gunicorn.conf.py --bind 127.0.0.1:8001 tongban.wsgi

Settings read from the environment (gunicorn's own names): WEB_CONCURRENCY (workers, default
2 × cores + 1), FORWARDED_ALLOW_IPS (the nginx host's address when nginx runs on another machine).
A --bind on the command line (the systemd unit's instance port) wins over the bind below.
"""

import multiprocessing
import os

wsgi_app = "tongban.wsgi"
chdir = os.environ.get("TONGBAN_APP_DIR", "/opt/tongban/src")
bind = ["127.0.0.1:8001"]  # never on a public address: only nginx talks to gunicorn
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# A request longer than this is killed (an upload of 50 MB is scanned by clamd within it); nginx's
# proxy_read_timeout is above it.
timeout = 60
graceful_timeout = 30
keepalive = 2
# Recycle workers now and then (slow leaks), not all at once.
max_requests = 1000
max_requests_jitter = 200
# The same limits nginx applies; gunicorn's own in case a request reaches it another way.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 16384
# Trust X-Forwarded-Proto only from nginx (gunicorn reads FORWARDED_ALLOW_IPS itself when set).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The app is imported once, before the workers fork: they start answering at once and share its memory.
preload_app = True
# Heartbeat files in memory: a worker never waits on a slow disk to prove it is alive.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - gunicorn's documented choice
accesslog = "-"
errorlog = "-"
proc_name = "tongban-web"


def child_exit(server, worker):
    """Forget a dead worker's live gauges in Prometheus's multi-process mode (docs/operations.md): the
    unit sets PROMETHEUS_MULTIPROC_DIR to a directory emptied at every start."""
    from tongban.operations.metrics import child_exit as forget_worker

    forget_worker(server, worker)
