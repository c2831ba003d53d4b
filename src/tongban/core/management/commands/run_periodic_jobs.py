"""Run the periodic jobs of CELERY_BEAT_SCHEDULE in this process, each at its interval: what Celery
beat does in production, for `make run` (no broker, no beat). Every job is safe to run twice, so a
second runner or a beat elsewhere does no harm."""

import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from tongban.celery import app

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the Celery beat schedule in-process (development: `make run` starts it); --once runs each job once."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="Run every job once and stop.")

    def handle(self, *args, **options) -> None:
        app.loader.import_default_modules()
        schedule = {name: entry for name, entry in settings.CELERY_BEAT_SCHEDULE.items()}
        next_run = dict.fromkeys(schedule, 0.0)
        while True:
            for name, entry in schedule.items():
                if time.monotonic() < next_run[name]:
                    continue
                next_run[name] = time.monotonic() + float(entry["schedule"])
                try:
                    result = app.tasks[entry["task"]].apply().get()
                except Exception:  # one failing job must not stop the others
                    logger.exception("periodic job %s failed", name)
                    continue
                if options["once"]:
                    self.stdout.write(f"{name}: {result}")
            if options["once"]:
                return
            time.sleep(5)
