from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SensitiveHit:
    word: str
    category: str  # moderation.models.WordCategory
    blocks: bool  # True: the text may not go out with it; False: a person reviews it
    start: int
    end: int
