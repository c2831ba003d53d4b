"""Export archive packages: ``manage.py archive_export --code 档号 -o FILE.zip`` (one 件) or
``manage.py archive_export --year 2026 [--fonds Z001] -o FILE.zip`` (a year of a 全宗)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tongban.archives.models import ArchiveRecord
from tongban.archives.packages import export_package, export_year


class Command(BaseCommand):
    help = "Write the archive package of one record (--code) or of one year of a fonds (--year)."

    def add_arguments(self, parser):
        parser.add_argument("--code", help="档号 of one record")
        parser.add_argument("--year", type=int, help="年度: every record of the year")
        parser.add_argument("--fonds", help="全宗号 (default: TONGBAN_ARCHIVE_FONDS_CODE)")
        parser.add_argument("-o", "--output", required=True, help="the zip file to write")

    def handle(self, *args, code=None, year=None, fonds=None, output, **options):
        if bool(code) == bool(year):
            raise CommandError("请指定 --code 或 --year 之一")
        if code:
            record_id = ArchiveRecord.objects.filter(archival_code=code).values_list("pk", flat=True).first()
            if record_id is None:
                raise CommandError(f"没有档号为 {code} 的档案")
            data = export_package(record_id)
        else:
            data = export_year(fonds or settings.TONGBAN_ARCHIVE_FONDS_CODE, year)
        Path(output).write_bytes(data)
        self.stdout.write(f"已导出 {output}（{len(data)} 字节）")
