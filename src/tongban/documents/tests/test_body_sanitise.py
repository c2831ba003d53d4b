"""正文 sanitising (documents.body.sanitise): only what the layout prints survives (T-C1 for HTML)."""

import pytest

from tongban.documents.body import blocks, revision_marks, sanitise, shift_headings


def test_T_C2_scripts_and_styles_go_with_their_content():
    dirty = "<p>各部门：<script>alert(1)</script></p><style>p{color:red}</style><p>现将通知如下。</p>"

    assert sanitise(dirty) == "<p>各部门：</p><p>现将通知如下。</p>"


@pytest.mark.parametrize(
    "dirty",
    [
        '<p onclick="steal()" onmouseover="x()">通知</p>',
        '<p style="background:url(javascript:alert(1))" class="x" id="y">通知</p>',
        '<p><span style="color:red" data-x="1">通知</span></p>',
        '<p><a href="javascript:alert(1)">通知</a></p>',
        '<p>通知<img src="data:image/png;base64,iVBORw0KGgo=" onerror="alert(1)"></p>',
        '<p>通知<iframe src="https://example.com/"></iframe></p>',
        "<p>通知<!-- 注释 --></p>",
        '<svg onload="alert(1)"><p>通知</p></svg>',
    ],
)
def test_T_C2_attributes_links_images_and_foreign_elements_are_removed(dirty):
    assert sanitise(dirty) == "<p>通知</p>"


def test_the_layouts_elements_are_kept_in_one_canonical_form():
    dirty = (
        "<h1>一、总体要求</h1><h2>（一）工作目标</h2><p><b>加粗</b><i>斜体</i><u>下划线</u>文字<br>换行</p>"
        "<ol><li>第一项</li><li>第二项<ul><li>子项</li></ul></li></ol>"
        '<table><tbody><tr><td data-row="r1">单位</td><td colspan="2" style="x">人数</td></tr></tbody></table>'
    )

    assert sanitise(dirty) == (
        "<h1>一、总体要求</h1><h2>（一）工作目标</h2>"
        "<p><strong>加粗</strong><em>斜体</em><u>下划线</u>文字<br>换行</p>"
        "<ol><li>第一项</li><li>第二项<ul><li>子项</li></ul></li></ol>"
        '<table><tbody><tr><td>单位</td><td colspan="2">人数</td></tr></tbody></table>'
    )


def test_empty_paragraphs_go_stray_text_and_divs_become_paragraphs_and_nbsp_is_a_space():
    assert sanitise("前言<p></p><p><br></p><div>第一段&nbsp;内容</div>") == "<p>前言</p><p>第一段 内容</p>"


def test_sanitising_twice_changes_nothing():
    once = sanitise(
        "<p>甲<b>乙</b></p><ul><li>丙</li></ul><table><tr><th>丁</th></tr><tr><td>戊</td></tr></table>"
    )

    assert sanitise(once) == once
    assert once == (
        "<p>甲<strong>乙</strong></p><ul><li>丙</li></ul>"
        "<table><thead><tr><th>丁</th></tr></thead><tbody><tr><td>戊</td></tr></tbody></table>"
    )


def test_blocks_are_the_plain_text_of_each_paragraph_heading_item_and_row():
    html = "<h1>一、要求</h1><p>各单位<strong>务必</strong>落实。</p><ul><li>甲</li></ul><table><tr><td>a</td><td>b</td></tr></table>"

    assert blocks(html) == ["一、要求", "各单位务必落实。", "甲", "a\tb"]


def test_headings_shift_below_the_pages_own():
    assert shift_headings("<h1>一</h1><h2>二</h2><p>h1</p>", by=2) == "<h3>一</h3><h4>二</h4><p>h1</p>"


def test_marks_of_an_added_and_a_removed_paragraph_are_whole_blocks():
    marks = revision_marks("<p>第一段。</p><p>第二段。</p>", "<p>新增一段。</p><p>第一段。</p>")

    assert [(m.kind, [(r.op, r.text) for r in m.runs]) for m in marks] == [
        ("p", [("insert", "新增一段。")]),
        ("p", [("equal", "第一段。")]),
        ("p", [("delete", "第二段。")]),
    ]


def test_a_table_inside_a_cell_becomes_lines_of_that_cell():
    nested = "<table><tr><td>外<table><tr><td>甲</td><td>乙</td></tr><tr><td>丙</td></tr></table></td><td>右</td></tr></table>"

    assert sanitise(nested) == "<table><tbody><tr><td>外<br>甲 乙<br>丙</td><td>右</td></tr></tbody></table>"
