class BackupError(Exception):
    """A backup cannot be written, read or restored; the message says which part and why."""
