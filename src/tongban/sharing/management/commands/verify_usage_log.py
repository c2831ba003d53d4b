"""Check the usage-log hash chain; exit non-zero naming the first bad row (THREATS T-E1, T-E2), and with
``--checkpoint`` also against a checkpoint signed outside the database (T-E3)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tongban.sharing import usage_log
from tongban.sharing.types import Checkpoint


class Command(BaseCommand):
    help = (
        "Verify the data usage log hash chain; fails on the first edited, deleted, inserted or reordered row, "
        "and with --checkpoint/--public-key on a chain rewritten since a signed checkpoint."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--checkpoint", type=Path, help="checkpoint JSON from sign_usage_checkpoint")
        parser.add_argument("--public-key", type=Path, help="PEM public key trusted for checkpoints")

    def handle(self, *args, **options) -> None:
        checked, problem = usage_log.verify()
        if problem is None and options["checkpoint"]:
            if not options["public_key"]:
                raise CommandError("--checkpoint needs --public-key")
            checkpoint = Checkpoint(**json.loads(options["checkpoint"].read_text("utf-8")))
            problem = usage_log.verify_checkpoint(
                checkpoint, public_key_pem=options["public_key"].read_text("utf-8")
            )
        if problem is not None:
            raise CommandError(
                f"数据使用记录第 {problem.chain} 链第 {problem.seq} 条有问题：{problem.problem}（已核对 {checked} 条）"
            )
        self.stdout.write(f"数据使用记录完整：共 {checked} 条，哈希链无误。")
