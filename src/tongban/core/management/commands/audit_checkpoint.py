"""Sign the audit log's chain heads with the checkpoint key and write them to
TONGBAN_AUDIT_CHECKPOINT_DIR, off the database host (THREATS T-J1); cron or the hourly task runs it."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from tongban.core import audit_chain


class Command(BaseCommand):
    help = "Write a signed checkpoint of the audit log (every chain head and start) to TONGBAN_AUDIT_CHECKPOINT_DIR."

    def handle(self, *args, **options) -> None:
        try:
            path = audit_chain.write_checkpoint()
        except (ImproperlyConfigured, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"检查点：{path}")
