"""``tongban verify-license FILE.pdf``: check an e-license file offline (no web server) and print the answer.

Exit status 0 only for a genuine, valid license; 1 when the signature fails; 2 when the license is
genuine but revoked or expired. Status is live from this installation's register when the license is in
it ("online"); otherwise it comes from the signed validity period ("offline": a revocation is unknown).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongban.licenses.services import verify_pdf


class Command(BaseCommand):
    help = "Verify the signature and status of an e-license PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options) -> None:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件：{file}") from exc
        result = verify_pdf(data)
        self.stdout.write(result.message)
        if not result.signature_ok:
            raise CommandError("证照无效", returncode=1)
        payload = result.payload
        source = "在线（证照库）" if result.status_source == "online" else "离线（依据签名中的有效期）"
        self.stdout.write(f"证照标识：{result.license_id}")
        self.stdout.write(f"证照名称：{payload['name']}　证照编号：{payload['number']}")
        self.stdout.write(f"发证机关：{payload['issuer']['name']}（{payload['issuer']['code']}）")
        self.stdout.write(f"持证主体：{payload['holder']['name']}（{payload['holder']['code']}）")
        self.stdout.write(f"有效期：{payload['valid_from']} 至 {payload['valid_until'] or '长期'}")
        self.stdout.write(f"状态：{result.status_label}（{source}）")
        if result.status != "valid":
            raise CommandError(f"证照{result.status_label}", returncode=2)
