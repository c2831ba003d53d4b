"""Import an exchange package from a body outside the platform as a 收文 waiting for 签收."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tongban.accounts.selectors import user_id_by_username
from tongban.core.errors import TongbanError
from tongban.documents.access import clerk_department_ids
from tongban.documents.services import exchange
from tongban.organizations.selectors import departments_by_ids


class Command(BaseCommand):
    help = (
        "Import the exchange package FILE for the department CODE (统一社会信用代码 or name), as the "
        "operator USERNAME, who must be a 文书人员 there; a tampered or untrusted package is refused."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--department", required=True, help="统一社会信用代码 or name of the department")
        parser.add_argument("--operator", required=True, help="username of a 文书人员 of the department")

    def handle(self, *args, **options) -> None:
        user_id = user_id_by_username(options["operator"])
        if user_id is None:
            raise CommandError(f"no user {options['operator']}")
        code = options["department"]
        matches = [
            d.id
            for d in departments_by_ids(clerk_department_ids(user_id)).values()
            if code in (d.uscc, d.name)
        ]
        if not matches:
            raise CommandError(f"{options['operator']} is not a 文书人员 of a department {code}")
        try:
            received_id = exchange.import_package(
                data=options["file"].read_bytes(), department_id=matches[0], user_id=user_id
            )
        except TongbanError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"received:{received_id}")
