"""Check the usage-log hash chain; exit non-zero naming the first bad row (THREATS T-E1, T-E2)."""

from django.core.management.base import BaseCommand, CommandError

from tongban.sharing import usage_log


class Command(BaseCommand):
    help = (
        "Verify the data usage log hash chain; fails on the first edited, deleted, inserted or reordered row."
    )

    def handle(self, *args, **options) -> None:
        checked, problem = usage_log.verify()
        if problem is not None:
            raise CommandError(
                f"数据使用记录第 {problem.seq} 条有问题：{problem.problem}（已核对 {checked} 条）"
            )
        self.stdout.write(f"数据使用记录完整：共 {checked} 条，哈希链无误。")
