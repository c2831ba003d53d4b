"""修订 marks between two versions of the 正文 (documents.body.revision_marks)."""

from tongban.documents.body import Run, revision_marks

DRAFT = (
    "<p>各区人民政府，市政府各部门：</p>"
    "<p>为加强安全生产工作，现将有关事项通知如下。</p>"
    "<p>一、各单位要认真贯彻执行。二、请于12月底前报送总结。</p>"
)
REVIEWED = (
    "<p>各区人民政府，市政府各部门：</p>"
    "<p>为进一步做好安全生产工作，现将有关事项通知如下。</p>"
    "<p>一、各单位要结合实际抓好落实。二、请于12月底前报送总结。</p>"
)


def test_a_reviewer_changing_two_sentences_shows_exactly_those_words_as_marks():
    marks = revision_marks(DRAFT, REVIEWED)

    assert [m.is_changed for m in marks] == [False, True, True]
    assert marks[0].runs == (Run("equal", "各区人民政府，市政府各部门："),)
    assert marks[1].runs == (
        Run("equal", "为"),
        Run("delete", "加强"),
        Run("insert", "进一步做好"),
        Run("equal", "安全生产工作，现将有关事项通知如下。"),
    )
    assert marks[2].runs == (
        Run("equal", "一、各单位要"),
        Run("delete", "认真贯彻执行"),
        Run("insert", "结合实际抓好落实"),
        Run("equal", "。二、请于12月底前报送总结。"),
    )


def test_unchanged_text_has_no_marks():
    assert not any(m.is_changed for m in revision_marks(DRAFT, DRAFT))


def test_a_heading_changed_to_a_paragraph_is_shown_as_removed_and_added():
    marks = revision_marks("<h1>一、总体要求</h1>", "<p>一、总体要求</p>")

    assert [(m.kind, m.runs) for m in marks] == [
        ("h1", (Run("delete", "一、总体要求"),)),
        ("p", (Run("insert", "一、总体要求"),)),
    ]
