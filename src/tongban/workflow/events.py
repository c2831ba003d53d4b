"""Signals the workflow sends; the app that owns the subject reacts (applications: 作废)."""

from django.dispatch import Signal

# Sent after commit when an administrator terminates an instance: subject, reason, actor_id.
instance_terminated = Signal()

# Sent after commit when it becomes people's turn on a task signed by several (会签, 加签):
# recipient_ids (staff user ids), task_id, step (its name), subject.
signing_turn = Signal()
