"""An application's name in the workflow: one process instance per application."""


def subject_of(application_id: int) -> str:
    return f"application:{application_id}"


def application_id_of(subject: str) -> int | None:
    kind, _sep, ident = subject.partition(":")
    return int(ident) if kind == "application" and ident.isdigit() else None
