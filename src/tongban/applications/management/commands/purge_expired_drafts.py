from django.core.management.base import BaseCommand

from tongban.applications import services


class Command(BaseCommand):
    help = (
        "Delete drafts untouched for TONGBAN_DRAFT_RETENTION_DAYS, with their uploaded files "
        "(safe to run twice; cron or beat)."
    )

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{services.purge_expired_drafts()} drafts purged")
