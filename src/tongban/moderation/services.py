"""Edits of the 敏感词库 by a city administrator (全市系统管理员): add a word (trimmed, 1–50 characters,
unique regardless of case, with a category and an action) or remove one. Each change is audited and,
on commit, ``forget_cached_words()`` makes this process check against the new list at once (others
within a minute: selectors._CACHE_SECONDS)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tongban.core import audit
from tongban.moderation.errors import SensitiveWordError
from tongban.moderation.models import SensitiveWord, WordAction, WordCategory
from tongban.moderation.selectors import forget_cached_words
from tongban.organizations.selectors import is_city_admin

WORD_MAX = 50


def _admin(actor_id: int) -> None:
    if not is_city_admin(actor_id):
        raise SensitiveWordError(_("只有全市系统管理员可以维护敏感词库"), code="forbidden")


def add_word(*, actor_id: int, word: str, category: str, action: str) -> int:
    """A new word. Raises SensitiveWordError (with the field) for an empty, too long or listed word, or
    a category or action not in the lists."""
    _admin(actor_id)
    word = word.strip()
    if not word:
        raise SensitiveWordError(_("请输入敏感词"), field="word")
    if len(word) > WORD_MAX:
        raise SensitiveWordError(_("敏感词不能超过%(n)s个字") % {"n": WORD_MAX}, field="word")
    if category not in WordCategory.values:
        raise SensitiveWordError(_("请选择类别"), field="category")
    if action not in WordAction.values:
        raise SensitiveWordError(_("请选择处置方式"), field="action")
    duplicate = _("敏感词“%(word)s”已在词库中") % {"word": word}
    if SensitiveWord.objects.filter(word__iexact=word).exists():
        raise SensitiveWordError(duplicate, field="word", code="duplicate")
    try:
        with transaction.atomic():
            created = SensitiveWord.objects.create(word=word, category=category, action=action)
            audit.record(
                event="moderation.word.add",
                actor_id=actor_id,
                object_type="sensitive_word",
                object_id=created.pk,
                reason=f"{word} {category} {action}",
            )
            transaction.on_commit(forget_cached_words)
    except IntegrityError as error:
        raise SensitiveWordError(duplicate, field="word", code="duplicate") from error
    return created.pk


@transaction.atomic
def remove_word(*, actor_id: int, word_id: int) -> None:
    """Remove a word; removing one already gone changes nothing (a retried request)."""
    _admin(actor_id)
    found = SensitiveWord.objects.select_for_update().filter(pk=word_id).first()
    if found is None:
        return
    found.delete()
    audit.record(
        event="moderation.word.remove",
        actor_id=actor_id,
        object_type="sensitive_word",
        object_id=word_id,
        reason=found.word,
    )
    transaction.on_commit(forget_cached_words)
