from tongban.core.search import MAX_QUERY_TOKENS, index_tokens, query_words, sub_words


def test_index_holds_the_short_words_inside_long_ones():
    tokens = index_tokens("内地居民结婚登记")
    assert " 结婚 " in tokens
    assert " 登记 " in tokens
    assert " 结婚登记 " in tokens


def test_index_normalizes_full_width_and_case():
    assert " abc " in index_tokens("ＡＢＣ")


def test_query_drops_filler_words_but_keeps_the_subject():
    assert query_words("我要怎么办理结婚登记") == ["结婚登记"]


def test_query_of_only_filler_words_keeps_them():
    assert query_words("怎么办理") != []


def test_query_is_bounded():
    words = query_words("营业执照 " * 200)
    assert words == ["营业执照"]
    many = query_words(" ".join(f"词{i}" for i in range(50)))
    assert len(many) <= MAX_QUERY_TOKENS


def test_sub_words_of_a_compound():
    assert set(sub_words("营业执照")) >= {"营业", "执照"}
