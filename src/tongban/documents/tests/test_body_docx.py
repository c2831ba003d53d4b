"""正文 as a Word document: importing a DOCX (checked, converted, sanitised) and exporting one."""

import io
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn

from tongban.documents.errors import DocumentError
from tongban.documents.models import BodyVersion
from tongban.documents.services.body import docx_of, import_docx, save_body
from tongban.documents.tests.body_helpers import word_file
from tongban.documents.tests.factories import BodyVersionFactory, OfficialDocumentFactory

pytestmark = pytest.mark.django_db


def test_a_word_document_becomes_the_body_with_its_headings():
    document = OfficialDocumentFactory()
    data = word_file(
        ("", document.title),
        ("", "各区人民政府，市政府各部门："),
        ("Heading 1", "一、总体要求"),
        ("Heading 2", "（一）工作目标"),
        ("", "现将有关事项通知如下。"),
    )

    version_id = import_docx(document_id=document.pk, user_id=document.drafter_id, data=data)

    # The first paragraph only repeated the title (printed by the layout): it is not part of the 正文.
    assert BodyVersion.objects.get(pk=version_id).html == (
        "<p>各区人民政府，市政府各部门：</p><h1>一、总体要求</h1><h2>（一）工作目标</h2><p>现将有关事项通知如下。</p>"
    )


def test_the_body_exports_as_word_with_title_headings_and_fangsong():
    document = OfficialDocumentFactory(title="云州市人民政府办公室关于做好冬季安全生产工作的通知")
    BodyVersionFactory(
        document=document,
        number=1,
        html="<p>各区人民政府：</p><h1>一、总体要求</h1><p>现将<strong>有关事项</strong>通知如下。</p>"
        "<ul><li>第一项</li></ul><table><tr><td>单位</td><td>人数</td></tr></table>",
    )

    word = Document(io.BytesIO(docx_of(document.pk)))

    assert [(p.style.name, p.text) for p in word.paragraphs] == [
        ("Normal", "云州市人民政府办公室关于做好冬季安全生产工作的通知"),
        ("Normal", "各区人民政府："),
        ("Heading 1", "一、总体要求"),
        ("Normal", "现将有关事项通知如下。"),
        ("List Bullet", "第一项"),
    ]
    assert [[cell.text for cell in row.cells] for row in word.tables[0].rows] == [["单位", "人数"]]
    assert [r.bold for r in word.paragraphs[3].runs] == [None, True, None]
    normal_fonts = word.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal_fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal_fonts.get(qn("w:ascii")) == "FangSong"
    assert word.styles["Normal"].font.size.pt == 16


def test_an_exported_body_imports_back_unchanged():
    document = OfficialDocumentFactory()
    html = "<p>各区人民政府：</p><h1>一、总体要求</h1><h2>（一）目标</h2><p>现将<strong>有关事项</strong>通知如下。</p>"
    first = save_body(document_id=document.pk, user_id=document.drafter_id, html=html)

    again = import_docx(document_id=document.pk, user_id=document.drafter_id, data=docx_of(document.pk))

    assert again == first
    assert list(BodyVersion.objects.filter(document=document).values_list("number", "html")) == [(1, html)]


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n%fake", "所选文件须为 Word 文档（DOCX）格式"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
            "所选文件是旧版 Word 文档（DOC），请在 Word 中另存为 DOCX 格式后重新上传",
        ),
        (_zip({"OFD.xml": b"<ofd/>"}), "所选文件须为 Word 文档（DOCX）格式"),
        (b"PK\x03\x04" + b"\0" * 60, "所选文件无法打开，请检查后重新选择"),
        (
            _zip({"word/document.xml": b'<!DOCTYPE x [<!ENTITY a "aaaa">]><w:document/>'}),
            "所选文件无法打开，请检查后重新选择",
        ),
        (
            _zip({"word/document.xml": b"<not-word/>", "[Content_Types].xml": b"<Types/>"}),
            "所选文件无法打开，请检查后重新选择",
        ),
        (b"", "所选文件为空"),
    ],
    ids=["pdf-renamed", "old-doc", "other-zip", "broken-zip", "entity", "not-word-xml", "empty"],
)
def test_T_C1_T_C8_a_file_that_is_not_a_readable_docx_is_refused_and_nothing_changes(data, message):
    document = OfficialDocumentFactory()
    BodyVersionFactory(document=document, number=1, html="<p>原稿。</p>")

    with pytest.raises(DocumentError) as refused:
        import_docx(document_id=document.pk, user_id=document.drafter_id, data=data)

    assert refused.value.message == message
    assert list(BodyVersion.objects.filter(document=document).values_list("html", flat=True)) == [
        "<p>原稿。</p>"
    ]


def test_T_C3_a_zip_bomb_is_refused_before_it_is_inflated():
    document = OfficialDocumentFactory()
    bomb = _zip({"word/document.xml": b"<w:document/>", "word/media/big.bin": b"\0" * (60 * 1024 * 1024)})

    with pytest.raises(DocumentError) as refused:
        import_docx(document_id=document.pk, user_id=document.drafter_id, data=bomb)

    assert refused.value.message == "所选文件解压后过大，请检查后重新选择"


def test_a_word_document_without_text_is_refused():
    document = OfficialDocumentFactory()

    with pytest.raises(DocumentError) as refused:
        import_docx(document_id=document.pk, user_id=document.drafter_id, data=word_file(("", "")))

    assert refused.value.message == "所选文件中没有正文"
