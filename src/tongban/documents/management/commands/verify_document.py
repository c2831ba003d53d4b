"""``tongban verify-document FILE.pdf`` (or ``manage.py verify_document``): check a sealed 公文 offline.

The seal is a PDF signature (PAdES); it is valid only when the file is unchanged since sealing and the seal
certificate was issued by this platform's seal CA (or by the CA in ``--ca FILE.pem``, for a document from
another deployment). Exit status 0 when valid, 1 when not.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongban.documents.sealing import load_certificate, verify_pdf_seal


class Command(BaseCommand):
    help = "Verify the seal (PAdES signature) of an official document PDF offline."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--ca", type=Path, help="PEM certificate of the seal CA to trust instead of this platform's"
        )

    def handle(self, *args, file: Path, ca: Path | None = None, **options) -> None:
        try:
            data = file.read_bytes()
            roots = [load_certificate(ca.read_text("ascii"))] if ca else None
        except (OSError, ValueError) as exc:
            raise CommandError(f"无法读取文件：{exc}") from exc
        check = verify_pdf_seal(data, roots=roots)
        self.stdout.write(check.reason)
        if check.seal_name:
            self.stdout.write(f"印章：{check.seal_name}　发文机关：{check.signer}")
        if check.signed_at:
            self.stdout.write(f"用印时间：{check.signed_at:%Y-%m-%d %H:%M:%S %z}")
        self.stdout.write(
            f"文件完整：{'是' if check.intact else '否'}　证书可信：{'是' if check.trusted else '否'}"
        )
        if not check.valid:
            raise CommandError("公文印章无效", returncode=1)
