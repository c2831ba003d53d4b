"""manage.py restore --input DIR (docs/backup.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tongban.backup import services
from tongban.backup.errors import BackupError


class Command(BaseCommand):
    help = (
        "Restore a backup into the configured database and storages, both empty, then check every row "
        "count and file hash against its manifest. Key: TONGBAN_BACKUP_KEY."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--input", type=Path, required=True, help="backup directory")

    def handle(self, *args, **options) -> None:
        try:
            manifest = services.restore_backup(options["input"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已恢复 {manifest.created_at} 的备份并核对：{len(manifest.tables)} 张表、"
            f"{len(manifest.files)} 个文件与清单一致。"
        )
