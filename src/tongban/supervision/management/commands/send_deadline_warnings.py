from django.core.management.base import BaseCommand

from tongban.supervision import services


class Command(BaseCommand):
    help = "Send yellow and red deadline warnings that were not sent yet (safe to run twice; cron or beat)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{services.send_deadline_warnings()} warnings sent")
