"""Open a time-limited window in which a Django superuser may sign in (production; THREATS T-B6)."""

from django.core.management.base import BaseCommand, CommandError

from tongban.workbench import break_glass


class Command(BaseCommand):
    help = (
        "Let the superuser USERNAME sign in for --minutes (at most 240), with a --reason; audited, alerted to "
        "the security and audit administrators, and every request in the window audited."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--reason", required=True)
        parser.add_argument("--minutes", type=int, default=30)

    def handle(self, *args, **options) -> None:
        try:
            window, alerted = break_glass.open_window(
                username=options["username"], reason=options["reason"], minutes=options["minutes"]
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已开启紧急授权窗口，至 {window.expires_at:%Y-%m-%d %H:%M} UTC；已通知 {len(alerted)} 名安全/审计管理员。"
        )
