from dataclasses import dataclass


@dataclass(frozen=True)
class UserRef:
    id: int
    username: str
    full_name: str
    kind: str
