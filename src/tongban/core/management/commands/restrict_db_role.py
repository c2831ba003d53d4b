"""Make every hash-chained log (the audit log, the data usage log) append-only for the application's
database role: INSERT and SELECT only (PostgreSQL; THREATS T-J1, T-E3)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from tongban.core import audit_chain, hash_chain


class Command(BaseCommand):
    help = (
        "GRANT SELECT, INSERT and REVOKE UPDATE, DELETE, TRUNCATE on the audit log and the data usage log for "
        "ROLE (run as the tables' owner after migrate); --check only reports what the role may still do."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("role", help="the role the application connects as")
        parser.add_argument(
            "--check", action="store_true", help="change nothing; fail if the role may rewrite"
        )

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("只有 PostgreSQL 部署需要（也支持）限制数据库角色。")
        role, tables = options["role"], audit_chain.append_only_tables()
        if not options["check"]:
            hash_chain.restrict_role(role, list(tables))
        problems = hash_chain.role_problems(role, tables)
        if problems:
            raise CommandError(f"角色 {role} 仍可改写日志：" + "；".join(problems))
        self.stdout.write(f"角色 {role} 对{'、'.join(tables.values())}只能新增和查询。")
