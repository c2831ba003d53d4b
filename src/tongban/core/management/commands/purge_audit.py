"""Remove audit rows past their retention period (TONGBAN_AUDIT_RETENTION_DAYS, at least 180 days; rows
about a case TONGBAN_AUDIT_CASE_RETENTION_DAYS) from the start of the chains, signing the new start in a
checkpoint. Run as the audit table's owner: the application's role may not delete."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from tongban.core import audit_chain


class Command(BaseCommand):
    help = "Purge expired audit rows from the chains' start and record a signed checkpoint of the cut."

    def handle(self, *args, **options) -> None:
        try:
            deleted, path = audit_chain.purge()
        except (ImproperlyConfigured, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"删除过期审计记录 {deleted} 条" + (f"，检查点：{path}" if path else "") + "。")
