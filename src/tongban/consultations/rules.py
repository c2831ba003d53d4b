"""What happens to a comment from the public, from what was found in its text (pure; no ORM).

- A blocking word (敏感词库, action 拦截): the comment is refused, and the message names the word, so
  the writer can change it.
- A review word (人工审核) or personal data (ID, phone, card numbers: core.pii): the comment is held for
  a moderator; if approved, the public sees it with the personal data masked.
- Otherwise it is published at once (post-moderation: a moderator can still take it down), unless the
  consultation asks that every comment be moderated first (``requires_premoderation``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tongban.core.pii import PiiFinding
from tongban.moderation.types import SensitiveHit


@dataclass(frozen=True)
class Screening:
    blocking_words: tuple[str, ...]
    review_words: tuple[str, ...]
    personal_data: tuple[str, ...]  # labels of the kinds found (手机号码 …)

    @property
    def is_blocked(self) -> bool:
        return bool(self.blocking_words)

    @property
    def needs_review(self) -> bool:
        return bool(self.review_words or self.personal_data)

    @property
    def held_reason(self) -> str:
        reasons = []
        if self.review_words:
            reasons.append("含有需人工审核的词语：" + "、".join(self.review_words))
        if self.personal_data:
            reasons.append("含有个人信息：" + "、".join(self.personal_data))
        return "；".join(reasons)


def screen(hits: Iterable[SensitiveHit], findings: Iterable[PiiFinding]) -> Screening:
    hits = list(hits)
    return Screening(
        blocking_words=tuple(dict.fromkeys(h.word for h in hits if h.blocks)),
        review_words=tuple(dict.fromkeys(h.word for h in hits if not h.blocks)),
        personal_data=tuple(dict.fromkeys(f.label for f in findings)),
    )


def held_on_arrival(screening: Screening, *, requires_premoderation: bool) -> bool:
    return screening.needs_review or requires_premoderation
