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


def test_an_uploaded_seal_image_is_pressed_on_the_face(department, publish_item, holder):
    from django.core.files.base import ContentFile
    from PIL import ImageDraw

    from tongban.licenses import services
    from tongban.licenses.models import License, Seal
    from tongban.licenses.tests.factories import (
        business_license_type,
        close_application,
        submitted_application,
    )

    item = publish_item(department, serves_legal_persons=True)
    business_license_type(department, item)
    seal_png = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    ImageDraw.Draw(seal_png).ellipse((5, 5, 195, 195), outline=(200, 20, 20, 255), width=8)
    buffer = io.BytesIO()
    seal_png.save(buffer, "PNG")
    seal = Seal.objects.get()
    seal.image.save("seal.png", ContentFile(buffer.getvalue()))
    application_id = submitted_application(item, applicant_id=holder.id)
    close_application(application_id)

    services.issue_license_for_application(application_id=application_id)

    page = PdfReader(io.BytesIO(bytes(License.objects.get().pdf))).pages[0]
    assert [image.name for image in page.images]  # the seal image is on the page
    assert services.verify_pdf(bytes(License.objects.get().pdf)).is_valid
