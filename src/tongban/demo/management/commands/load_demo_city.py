from django.core.management.base import BaseCommand

from tongban.demo.loader import ACCOUNTS, DEMO_PASSWORD, load_demo_city


class Command(BaseCommand):
    help = "Load the demo city 云州市 (idempotent) and print the demo accounts."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-accounts", action="store_true", help="Load data only, no demo accounts.")

    def handle(self, *args, **options) -> None:
        report = load_demo_city(with_accounts=not options["no_accounts"])
        self.stdout.write(
            f"演示城市已就绪：{report.departments} 个部门，{report.halls} 个大厅，"
            f"新增事项 {report.items_created} 项，已有事项 {report.items_existing} 项，"
            f"新发布预约时段 {report.appointment_slots_created} 个。"
        )
        if report.exchange_clients:
            self.stdout.write("数据交换客户端（仅开发模式显示；每次加载都会更换密钥）：")
            for name, credentials in report.exchange_clients:
                self.stdout.write(
                    f"  {name}\n    client_id={credentials.client_id}\n    client_secret={credentials.client_secret}"
                )
        if not options["no_accounts"]:
            self.stdout.write(f"演示账户（密码均为 {DEMO_PASSWORD}）：")
            for account in ACCOUNTS:
                self.stdout.write(f"  {account.username:<16} {account.full_name}　{account.description}")
