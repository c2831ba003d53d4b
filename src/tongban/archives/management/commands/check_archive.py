"""四性检测 of the archive (DA/T 70): ``manage.py check_archive [--year 2026] [--code 档号]``. Prints each
件's result; exits non-zero naming the 档号 and the failing checks when any 件 fails."""

from django.core.management.base import BaseCommand, CommandError

from tongban.archives.integrity import CHECK_LABELS, check_integrity, seal_verifier_from_settings
from tongban.archives.models import ArchiveRecord


class Command(BaseCommand):
    help = "Check archived records for authenticity, integrity, usability and security (DA/T 70)."

    def add_arguments(self, parser):
        parser.add_argument("--fonds", help="全宗号 (default: every 全宗)")
        parser.add_argument("--year", type=int, help="年度 (default: every year)")
        parser.add_argument("--code", help="one 档号")

    def handle(self, *args, fonds=None, year=None, code=None, **options):
        record_ids = None
        if code:
            record_ids = list(ArchiveRecord.objects.filter(archival_code=code).values_list("pk", flat=True))
            if not record_ids:
                raise CommandError(f"没有档号为 {code} 的档案")
        reports = check_integrity(
            record_ids=record_ids, fonds_code=fonds, year=year, seal_verifier=seal_verifier_from_settings()
        )
        failed = []
        for report in reports:
            if report.passed:
                self.stdout.write(f"{report.archival_code} 通过")
                continue
            failed.append(report.archival_code)
            for check in report.failed_checks:
                for problem in check.problems:
                    self.stdout.write(f"{report.archival_code} {CHECK_LABELS[check.check]}未通过：{problem}")
        self.stdout.write(f"共检测 {len(reports)} 件，未通过 {len(failed)} 件")
        if failed:
            raise CommandError("四性检测未通过：" + "、".join(failed))
