"""manage.py backup --output DIR | --verify DIR (docs/backup.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tongban.backup import services
from tongban.backup.errors import BackupError


class Command(BaseCommand):
    help = (
        "Write an encrypted backup (database, every stored file, manifest) into a new or empty directory, "
        "or with --verify check an existing one without restoring. Key: TONGBAN_BACKUP_KEY."
    )

    def add_arguments(self, parser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--output", type=Path, help="new or empty directory to write the backup into")
        group.add_argument("--verify", type=Path, help="backup directory to check")

    def handle(self, *args, **options) -> None:
        try:
            if options["verify"]:
                manifest = services.verify_backup(options["verify"])
                verb = "校验通过"
            else:
                manifest = services.create_backup(options["output"])
                verb = "已写入"
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"备份{verb}：{manifest.created_at}，{len(manifest.tables)} 张表，"
            f"{sum(manifest.tables.values())} 行，{len(manifest.files)} 个文件。"
        )
