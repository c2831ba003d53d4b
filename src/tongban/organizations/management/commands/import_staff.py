"""``manage.py import_staff FILE.csv --operator NAME``: bulk onboarding from a staff list."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongban.accounts.selectors import is_active_user, user_id_by_username
from tongban.organizations import services
from tongban.organizations.errors import StaffImportError
from tongban.organizations.selectors import staff_scope

# Column names in English or Chinese, as a spreadsheet's header row may have them.
COLUMNS = {
    "username": "username",
    "用户名": "username",
    "full_name": "full_name",
    "姓名": "full_name",
    "phone": "phone",
    "手机号码": "phone",
    "department": "department",
    "部门": "department",
    "roles": "roles",
    "岗位": "roles",
}
REQUIRED = {"username": "用户名", "full_name": "姓名", "department": "部门", "roles": "岗位"}


def decode(raw: bytes) -> str:
    """UTF-8 (with or without the BOM Excel writes), else GB 18030 (what Excel saves as CSV on a Chinese
    Windows)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            raise CommandError("文件编码无法识别，请另存为 UTF-8 编码的 CSV 文件") from None


def parse(text: str) -> list[services.StaffLine]:
    """The lines of a staff file; a header row names the columns (``COLUMNS``), blank lines are skipped."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise CommandError("文件是空的")
    columns = [COLUMNS.get(name.strip().lower(), COLUMNS.get(name.strip(), "")) for name in header]
    if missing := [f"{key}（{label}）" for key, label in REQUIRED.items() if key not in columns]:
        raise CommandError(f"第1行：缺少列 {'、'.join(missing)}")
    lines = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        values = {column: cell for column, cell in zip(columns, row, strict=False) if column}
        lines.append(
            services.StaffLine(
                number=reader.line_num,
                username=values.get("username", ""),
                full_name=values.get("full_name", ""),
                phone=values.get("phone", ""),
                department=values.get("department", ""),
                roles=values.get("roles", ""),
            )
        )
    return lines


class Command(BaseCommand):
    help = (
        "Create staff accounts and grant their roles from a CSV file (columns username, full_name, phone, "
        "department: its 统一社会信用代码, full or short name, roles: names or codes separated by ';'), "
        "all or nothing, as done by --operator (a city or department administrator; audited). Safe to run "
        "again: existing accounts only get the roles they lack. Prints each new account's first password "
        "once, as CSV lines username,password: hand each over in person."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--operator", required=True, help="user name of the administrator importing")

    def handle(self, *args: Any, **options: Any) -> None:
        operator = options["operator"]
        operator_id = user_id_by_username(operator)
        if operator_id is None or not is_active_user(operator_id) or staff_scope(operator_id) is None:
            raise CommandError(f"操作人 {operator} 不是在用的部门管理员或全市系统管理员")
        try:
            raw = options["file"].read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取文件：{error.strerror}") from None
        try:
            report = services.import_staff(
                actor=services.Actor(user_id=operator_id), lines=parse(decode(raw))
            )
        except StaffImportError as error:
            raise CommandError("未导入任何人员：\n" + "\n".join(error.details)) from None
        self.stderr.write(
            f"已新建 {len(report.created)} 个账户，为已有账户授予 {report.roles_granted} 个岗位，"
            f"{report.unchanged} 行无需变更。"
        )
        if report.created:
            self.stderr.write("新账户的初始密码只显示这一次，请当面交给本人：")
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(["username", "password"])
            for account in report.created:
                writer.writerow([account.username, account.password])
