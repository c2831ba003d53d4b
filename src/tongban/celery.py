"""Celery application: Redis broker in production; tasks run in-process under ``make run``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings")

app = Celery("tongban")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
