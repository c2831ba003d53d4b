"""Fill the working-day calendar from chinesecalendar; rows edited by an administrator are kept, and open
cases' dates counted over a newly seeded year are recomputed (``calendar_changed``)."""

from django.core.management.base import BaseCommand, CommandError

from tongban.core.calendar import CalendarError, seed_coming_years, seed_year


class Command(BaseCommand):
    help = (
        "Seed the working-day calendar for --year, or for the previous, the current and the next year; "
        "promised finish dates and step due dates counted over a newly seeded year are recomputed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            help="Year to seed (repeatable); default: last, this and next year.",
        )

    def handle(self, *args, **options) -> None:
        if options["year"]:
            try:
                written = {year: seed_year(year) for year in options["year"]}
            except CalendarError as exc:
                raise CommandError(exc.message) from exc
        else:
            written = seed_coming_years()
        for year, count in written.items():
            if count is None:
                self.stdout.write(
                    f"{year} 年：尚无法定节假日安排，暂不导入（发布后请升级 chinesecalendar 再运行）。"
                )
            else:
                self.stdout.write(f"{year} 年：写入 {count} 天。")
