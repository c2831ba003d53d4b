"""What other apps receive about form uploads."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UploadInfo:
    """A form upload as pages show it; ``id`` is what the answer holds."""

    id: str
    owner_id: int
    name: str
    kind: str
    size: int

    @property
    def size_text(self) -> str:
        if self.size >= 1024 * 1024:
            return f"{self.size / (1024 * 1024):.1f} MB"
        return f"{max(1, round(self.size / 1024))} KB"
