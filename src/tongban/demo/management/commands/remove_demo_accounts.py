from django.core.management.base import BaseCommand

from tongban.demo.loader import remove_demo_accounts


class Command(BaseCommand):
    help = (
        "Disable the demo city's accounts (their password is published) and remove the demo mark, so that "
        "production (TONGBAN_DEBUG=false) starts on this database (check demo.E001)."
    )
    # The check that this command clears would otherwise stop it.
    requires_system_checks: list[str] = []

    def handle(self, *args, **options) -> None:
        report = remove_demo_accounts()
        self.stdout.write(f"已停用演示账户 {len(report.disabled)} 个：{'、'.join(report.disabled) or '无'}")
        if report.kept:
            self.stdout.write(f"以下演示账户已改过密码，仍可登录，请确认是否保留：{'、'.join(report.kept)}")
