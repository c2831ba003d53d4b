from django.core.management.base import BaseCommand, CommandParser

from tongban.appointments import services


class Command(BaseCommand):
    help = (
        "Publish appointment slots from the opening rules for the coming weeks (TONGBAN_APPOINTMENT_WEEKS_AHEAD "
        "by default); booked places are never removed. Safe to run twice; cron or beat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--weeks", type=int, help="weeks ahead to publish (default: the setting)")

    def handle(self, *args, weeks: int | None = None, **options) -> None:
        report = services.publish_ahead(weeks=weeks)
        self.stdout.write(
            f"{report.created} slots created, {report.changed} changed, {report.withdrawn} withdrawn"
        )
