"""Signals the workflow sends; the app that owns the subject reacts (applications: 作废)."""

from django.dispatch import Signal

# Sent after commit when an administrator terminates an instance: subject, reason, actor_id.
instance_terminated = Signal()
