"""Check the audit log's hash chains and the newest signed checkpoint; exit 1 naming the first bad row
(THREATS T-J1)."""

from django.core.management.base import BaseCommand, CommandError

from tongban.core import audit_chain


class Command(BaseCommand):
    help = (
        "Verify the audit log hash chains (edited, deleted, inserted or reordered rows) and, when "
        "TONGBAN_AUDIT_CHECKPOINT_DIR and TONGBAN_AUDIT_CHECKPOINT_PUBLIC_KEY_FILE are set, the newest signed "
        "checkpoint (a chain rewritten since)."
    )

    def handle(self, *args, **options) -> None:
        state = audit_chain.verify()
        if state.problem:
            raise CommandError(
                f"审计日志第 {state.problem_chain} 链第 {state.problem_seq} 条有问题：{state.problem}"
                f"（已核对 {state.checked} 条）; first bad seq: {state.problem_seq}"
            )
        against = f"，与检查点 {state.checkpoint} 相符" if state.checkpoint else ""
        self.stdout.write(f"审计日志完整：共 {state.checked} 条，哈希链无误{against}。")
