"""Make the usage log append-only for the application's database role (PostgreSQL, THREATS T-E3)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from tongban.sharing import usage_log


class Command(BaseCommand):
    help = (
        "GRANT SELECT, INSERT and REVOKE UPDATE, DELETE, TRUNCATE on the data usage log for a database role "
        "(run as the table owner after migrate); --check only reports what the role may still do."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--role", required=True, help="the role the application connects as")
        parser.add_argument(
            "--check", action="store_true", help="change nothing; fail if the role may rewrite"
        )

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("只有 PostgreSQL 部署需要（也支持）限制数据库角色。")
        role = options["role"]
        if not options["check"]:
            usage_log.restrict_role(role)
        problems = usage_log.role_problems(role)
        if problems:
            raise CommandError(f"角色 {role} 仍可改写数据使用记录：" + "；".join(problems))
        self.stdout.write(f"角色 {role} 对数据使用记录只能新增和查询。")
