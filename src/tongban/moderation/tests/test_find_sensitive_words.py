import pytest

from tongban.moderation.models import SensitiveWord
from tongban.moderation.selectors import blocking_words, find_sensitive_words, forget_cached_words

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_list():
    forget_cached_words()
    yield
    forget_cached_words()


def test_the_seeded_list_blocks_plain_advertising():
    assert blocking_words("本店办证刻章，价格优惠") == ["办证刻章"]


def test_a_review_word_is_found_but_does_not_block():
    hits = find_sensitive_words("这是内部资料，请勿外传")
    assert [(h.word, h.blocks, h.start, h.end) for h in hits] == [("内部资料", False, 2, 6)]
    assert blocking_words("这是内部资料") == []


def test_a_word_added_by_an_admin_is_found_once_the_cache_is_forgotten():
    SensitiveWord.objects.create(word="Spam", category="advertising", action="block")
    forget_cached_words()
    assert [h.word for h in find_sensitive_words("spam and SPAM")] == ["Spam", "Spam"]


def test_clean_text_has_no_hits():
    assert find_sensitive_words("建议在翠苑社区增设公交站点") == []
