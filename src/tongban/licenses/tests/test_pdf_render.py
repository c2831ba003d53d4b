"""The license PDF: embedded Chinese font mapped to Unicode, a QR code, renders with poppler."""

import io
import shutil
import subprocess

import pytest
from PIL import Image
from pypdf import PdfReader


def test_the_pdf_renders_to_a_png_with_chinese_text_and_an_embedded_font(issued, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm is not installed: apt-get install poppler-utils (make system-deps)")
    pdf_path = tmp_path / "license.pdf"
    pdf_path.write_bytes(bytes(issued.pdf))

    subprocess.run(  # noqa: S603 - fixed program, our own file
        ["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf_path), str(tmp_path / "license")],  # noqa: S607
        check=True,
        timeout=60,
    )

    image = Image.open(tmp_path / "license.png").convert("L")
    dark = sum(image.histogram()[:128])
    assert image.size[0] > 400
    assert dark > 2000  # text, border, seal and QR code: far from a blank page
    reader = PdfReader(io.BytesIO(bytes(issued.pdf)))
    text = reader.pages[0].extract_text()
    assert "营业执照" in text
    assert "云州市青禾餐饮管理有限公司" in text
    assert "扫描二维码核验证照状态" in text
    fonts = [
        font.get_object()
        for font in reader.pages[0]["/Resources"]["/Font"].values()
        if font.get_object()["/Subtype"] == "/TrueType" or "/DescendantFonts" in font.get_object()
    ]
    assert fonts, "the Chinese font is embedded, not a CID font the reader must have"
    assert all("STSong" not in str(font["/BaseFont"]) for font in fonts)
