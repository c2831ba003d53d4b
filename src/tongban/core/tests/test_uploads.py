"""check_upload(): what an uploaded material must be before anything keeps it (THREATS T-C1..T-C5, T-C8)."""

import bz2
import gzip
import hashlib
import io
import random
import stat
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from reportlab.pdfgen import canvas

from tongban.core.tests import scan_payloads
from tongban.core.uploads import (
    MB,
    OFD_MAX_ENTRIES,
    OFD_MAX_UNCOMPRESSED,
    UPLOAD_MAX_MB,
    UploadError,
    check_upload,
    check_uploads,
)

PROJECT = Path(__file__).resolve().parents[4]

OFD_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">'
    b"<ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
)
DOCUMENT_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"/>'
)
PDF_JPG_PNG = ("pdf", "jpg", "png")


def make_pdf(text: str = "营业执照") -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, text)
    page.save()
    return out.getvalue()


def make_image(fmt: str, *, size=(40, 30), mode="RGB", **save_options) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color="white" if mode != "P" else 1).save(out, format=fmt, **save_options)
    return out.getvalue()


def make_ofd(entries: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (entries or {"OFD.xml": OFD_XML, "Doc_0/Document.xml": DOCUMENT_XML}).items():
            archive.writestr(name, data)
    return out.getvalue()


def make_png_header_only(width: int, height: int) -> bytes:
    """A valid 1-bit greyscale PNG of width × height whose rows are all zero: a few KB to 50 KB."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    compressor = zlib.compressobj(9)
    row = bytes(1 + (width + 7) // 8)  # filter byte + packed pixels
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def refusal(**kwargs) -> str:
    kwargs.setdefault("allowed_types", PDF_JPG_PNG)
    kwargs.setdefault("max_size_mb", 10)
    with pytest.raises(UploadError) as refused:
        check_upload(**kwargs)
    assert refused.value.status == 400
    return refused.value.message


# Accepted files


def test_pdf_is_accepted_as_uploaded():
    pdf = make_pdf()

    checked = check_upload(name="营业执照.pdf", data=pdf, allowed_types=PDF_JPG_PNG, max_size_mb=10)

    assert (checked.kind, checked.mime_type, checked.display_name) == (
        "pdf",
        "application/pdf",
        "营业执照.pdf",
    )
    assert checked.content == pdf
    assert (checked.size, checked.sha256) == (len(pdf), hashlib.sha256(pdf).hexdigest())
    assert checked.is_reencoded is False


def test_png_is_reencoded_and_keeps_its_pixels():
    png = make_image("PNG", size=(3, 2))

    checked = check_upload(name="户口簿.PNG", data=io.BytesIO(png), allowed_types=PDF_JPG_PNG, max_size_mb=1)

    assert (checked.kind, checked.mime_type, checked.display_name) == ("png", "image/png", "户口簿.PNG")
    assert checked.is_reencoded is True
    assert checked.sha256 == hashlib.sha256(checked.content).hexdigest()
    assert checked.size == len(checked.content)
    with Image.open(io.BytesIO(checked.content)) as image:
        assert (image.format, image.size, image.getpixel((0, 0))) == ("PNG", (3, 2), (255, 255, 255))


def test_jpeg_extension_jpeg_is_accepted_and_exif_is_dropped():
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    jpeg = make_image("JPEG", exif=exif.tobytes())

    checked = check_upload(name="photo.jpeg", data=jpeg, allowed_types=("jpg",), max_size_mb=1)

    assert (checked.kind, checked.mime_type, checked.display_name) == ("jpg", "image/jpeg", "photo.jpeg")
    assert b"Camera maker" in jpeg
    assert b"Camera maker" not in checked.content
    with Image.open(io.BytesIO(checked.content)) as image:
        assert (image.format, image.size) == ("JPEG", (40, 30))


def test_palette_png_is_stored_without_its_palette():
    checked = check_upload(
        name="a.png", data=make_image("PNG", mode="P"), allowed_types=("png",), max_size_mb=1
    )

    with Image.open(io.BytesIO(checked.content)) as image:
        assert image.mode == "RGB"


def test_ofd_is_accepted_as_uploaded():
    ofd = make_ofd()

    checked = check_upload(name="电子证照.ofd", data=ofd, allowed_types=("pdf", "ofd"), max_size_mb=10)

    assert (checked.kind, checked.mime_type, checked.display_name) == (
        "ofd",
        "application/ofd",
        "电子证照.ofd",
    )
    assert (checked.content, checked.is_reencoded) == (ofd, False)


def test_name_without_extension_gets_the_detected_one():
    checked = check_upload(name="扫描件 v1.2 第二页", data=make_pdf(), allowed_types=("pdf",), max_size_mb=1)

    assert checked.display_name == "扫描件 v1.2 第二页.pdf"


def test_content_is_not_part_of_the_repr():
    checked = check_upload(name="a.pdf", data=make_pdf(), allowed_types=("pdf",), max_size_mb=1)

    assert "content" not in repr(checked)


# Refused files: messages exactly as shown next to the field (UX.md)


def test_empty_file_is_refused():
    assert refusal(name="a.pdf", data=b"") == "所选文件为空"
    assert refusal(name="a.pdf", data=io.BytesIO(b"")) == "所选文件为空"


def test_type_not_allowed_lists_the_allowed_ones_in_order():
    jpeg = make_image("JPEG")

    assert refusal(name="a.jpg", data=jpeg, allowed_types=("pdf", "png", "ofd")) == (
        "所选文件须为 PDF、PNG 或 OFD 格式"
    )
    assert refusal(name="a.jpg", data=jpeg, allowed_types=("pdf",)) == "所选文件须为 PDF 格式"
    assert refusal(name="a.jpg", data=jpeg, allowed_types=("png", "pdf")) == "所选文件须为 PNG 或 PDF 格式"


def test_zip_that_is_not_an_ofd_is_refused():
    plain_zip = make_ofd({"readme.txt": b"hello"})

    assert (
        refusal(name="a.zip", data=plain_zip, allowed_types=("pdf", "ofd")) == "所选文件须为 PDF 或 OFD 格式"
    )
    assert refusal(name="a.ofd", data=plain_zip, allowed_types=("pdf", "ofd")) == "文件类型与扩展名不符"


def test_ofd_where_only_pdf_is_allowed_is_refused():
    assert refusal(name="a.ofd", data=make_ofd(), allowed_types=("pdf",)) == "所选文件须为 PDF 格式"


def test_unknown_allowed_type_is_a_programming_error():
    with pytest.raises(ValueError, match="allowed_types"):
        check_upload(name="a.docx", data=b"x", allowed_types=("docx",), max_size_mb=1)


def test_T_C1_exe_renamed_pdf_is_refused():
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(100)

    assert refusal(name="x.pdf", data=exe) == "文件类型与扩展名不符"
    assert refusal(name="x.exe", data=exe) == "所选文件须为 PDF、JPG 或 PNG 格式"


def test_T_C1_png_named_jpg_is_refused():
    assert refusal(name="photo.jpg", data=make_image("PNG")) == "文件类型与扩展名不符"


def test_T_C1_pdf_named_with_a_disallowed_extension_is_refused():
    assert refusal(name="report.html", data=make_pdf()) == "文件类型与扩展名不符"


def test_T_C1_jpeg_with_appended_html_is_reencoded():
    polyglot = make_image("JPEG") + b"<html><script>alert(document.cookie)</script></html>"

    checked = check_upload(name="photo.jpg", data=polyglot, allowed_types=PDF_JPG_PNG, max_size_mb=1)

    assert checked.kind == "jpg"
    assert b"<script" not in checked.content
    assert b"<html" not in checked.content
    assert checked.is_reencoded is True


def test_T_C1_png_with_text_chunk_and_appended_html_is_reencoded():
    out = io.BytesIO()
    info = PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    Image.new("RGB", (4, 4)).save(out, format="PNG", pnginfo=info)
    polyglot = out.getvalue() + b"<html><script>alert(2)</script>"

    checked = check_upload(name="a.png", data=polyglot, allowed_types=("png",), max_size_mb=1)

    assert polyglot.count(b"<script") == 2
    assert b"<script" not in checked.content


def test_T_C1_pdf_with_javascript_is_refused():
    script_pdf = make_pdf().replace(b"%%EOF", b"<< /S /JavaScript /JS (app.alert(1)) >>\n%%EOF")
    escaped_pdf = make_pdf().replace(b"%%EOF", b"<< /S /J#61vaScript /#4AS (app.alert(1)) >>\n%%EOF")

    assert refusal(name="a.pdf", data=script_pdf) == "文件含有不允许的脚本内容"
    assert refusal(name="a.pdf", data=escaped_pdf) == "文件含有不允许的脚本内容"


def test_pdf_names_that_merely_start_like_js_are_accepted():
    pdf = make_pdf().replace(b"%%EOF", b"<< /JBIG2Globals 1 /JSON 2 >>\n%%EOF")

    assert check_upload(name="a.pdf", data=pdf, allowed_types=("pdf",), max_size_mb=1).kind == "pdf"


def test_T_C2_svg_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

    assert refusal(name="a.svg", data=svg) == "所选文件须为 PDF、JPG 或 PNG 格式"


def test_T_C2_png_whose_content_is_html_is_refused():
    html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"

    assert refusal(name="a.png", data=html) == "文件类型与扩展名不符"
    assert refusal(name="a.html", data=html) == "所选文件须为 PDF、JPG 或 PNG 格式"


def test_T_C3_pixel_flood_png_is_refused():
    flood = make_png_header_only(20000, 20000)

    assert len(flood) < 100 * 1024
    assert refusal(name="a.png", data=flood) == "所选图片须小于 4000 万像素"


def test_T_C3_image_just_over_the_pixel_limit_is_refused():
    over = make_png_header_only(8000, 5001)

    assert refusal(name="a.png", data=over) == "所选图片须小于 4000 万像素"


def test_T_C3_truncated_image_is_refused():
    png = make_image("PNG", size=(200, 200))

    assert refusal(name="a.png", data=png[: len(png) // 2]) == "所选文件无法打开，请检查后重新选择"


def test_T_C3_zip_bomb_ofd_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("OFD.xml", OFD_XML)
        with archive.open("Doc_0/Res/image.bmp", "w") as member:
            zeros = bytes(1024 * 1024)
            for _ in range(201):  # 201 MB of zeros, about 900 KB compressed
                member.write(zeros)
    bomb = out.getvalue()

    assert len(bomb) < 1024 * 1024
    assert refusal(name="a.ofd", data=bomb, allowed_types=("ofd",)) == "所选文件解压后过大，请检查后重新选择"


def test_T_C3_ofd_with_a_high_compression_ratio_is_refused():
    bomb = make_ofd({"OFD.xml": OFD_XML, "Doc_0/Res/blank.bin": bytes(10 * 1024 * 1024)})

    assert refusal(name="a.ofd", data=bomb, allowed_types=("ofd",)) == "所选文件解压后过大，请检查后重新选择"


def test_T_C3_ofd_with_too_many_entries_is_refused():
    entries = {"OFD.xml": OFD_XML} | {f"Doc_0/Pages/Page_{n}/Content.xml": b"<a/>" for n in range(1000)}

    assert refusal(name="a.ofd", data=make_ofd(entries), allowed_types=("ofd",)) == (
        "所选文件解压后过大，请检查后重新选择"
    )


def test_ofd_with_exactly_the_maximum_entries_is_accepted():
    entries = {"OFD.xml": OFD_XML} | {f"Doc_0/Pages/Page_{n}/Content.xml": b"<a/>" for n in range(999)}

    assert (
        check_upload(name="a.ofd", data=make_ofd(entries), allowed_types=("ofd",), max_size_mb=1).kind
        == "ofd"
    )


def test_T_C3_ofd_with_a_symlink_entry_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("OFD.xml", OFD_XML)
        link = zipfile.ZipInfo("Doc_0/Document.xml")
        link.create_system = 3  # Unix
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")

    assert refusal(name="a.ofd", data=out.getvalue(), allowed_types=("ofd",)) == (
        "所选文件无法打开，请检查后重新选择"
    )


def test_T_C4_ofd_with_traversal_entry_names_is_refused():
    for name in ("../../settings.py", "Doc_0/../../x.xml", "/etc/cron.d/x", "..\\..\\x.xml", "C:/x.xml"):
        zip_slip = make_ofd({"OFD.xml": OFD_XML, name: b"<a/>"})

        assert refusal(name="a.ofd", data=zip_slip, allowed_types=("ofd",)) == (
            "所选文件无法打开，请检查后重新选择"
        ), name


def test_T_C4_traversal_names_are_made_safe():
    pdf = make_pdf()
    names = {
        "../../营业执照.pdf": "营业执照.pdf",
        "..\\..\\x.pdf": "x.pdf",
        "C:\\Users\\张三\\Desktop\\身份证.pdf": "身份证.pdf",
        "%2e%2e%2fx.pdf": "%2e%2e%2fx.pdf",  # no separator left: harmless as a display name
        "a.pdf\r\nSet-Cookie: x=1.pdf": "a.pdfSet-Cookie x=1.pdf",
        "\u202efdp.exe.pdf": "fdp.exe.pdf",
        '..<a href="x">.pdf': "a href=x.pdf",
        " .hidden.pdf. ": "hidden.pdf",
        "../": "未命名.pdf",
        "很长的名字" * 40 + ".pdf": ("很长的名字" * 40)[:96] + ".pdf",
    }

    for name, expected in names.items():
        checked = check_upload(name=name, data=pdf, allowed_types=("pdf",), max_size_mb=1)

        assert checked.display_name == expected, name
        assert len(checked.display_name) <= 100


def test_T_C5_oversized_file_is_refused():
    assert (
        refusal(name="a.pdf", data=b"%PDF-" + bytes(10 * 1024 * 1024), max_size_mb=10)
        == "所选文件须小于 10MB"
    )
    assert refusal(name="a.pdf", data=io.BytesIO(b"%PDF-" + bytes(2 * 1024 * 1024)), max_size_mb=2) == (
        "所选文件须小于 2MB"
    )


def test_T_C5_file_of_exactly_the_limit_is_accepted():
    pdf = make_pdf()
    exact = pdf + b"\n" * (1024 * 1024 - len(pdf))

    assert check_upload(name="a.pdf", data=exact, allowed_types=("pdf",), max_size_mb=1).size == 1024 * 1024


def test_T_C5_a_stream_is_never_read_past_the_limit():
    class EndlessStream(io.RawIOBase):
        read_total = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            buffer[:] = bytes(len(buffer))
            self.read_total += len(buffer)
            return len(buffer)

    stream = EndlessStream()

    assert refusal(name="a.pdf", data=stream, max_size_mb=3) == "所选文件须小于 3MB"
    assert stream.read_total == 3 * 1024 * 1024 + 1


def test_T_C8_ofd_declaring_an_entity_is_refused():
    xxe = (
        b'<?xml version="1.0"?>\n<!DOCTYPE ofd [<!ENTITY x SYSTEM "http://127.0.0.1:9999/xxe">]>\n'
        b'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016">&x;</ofd:OFD>'
    )

    assert refusal(name="a.ofd", data=make_ofd({"OFD.xml": xxe}), allowed_types=("ofd",)) == (
        "所选文件无法打开，请检查后重新选择"
    )


def test_ofd_whose_ofd_xml_is_not_utf8_is_refused():
    utf16 = OFD_XML.decode().replace("UTF-8", "UTF-16").encode("utf-16")

    assert refusal(name="a.ofd", data=make_ofd({"OFD.xml": utf16}), allowed_types=("ofd",)) == (
        "所选文件无法打开，请检查后重新选择"
    )


def test_corrupt_zip_is_refused():
    broken = make_ofd()[:-30]

    assert refusal(name="a.ofd", data=broken, allowed_types=("ofd",)) == "所选文件无法打开，请检查后重新选择"


def test_ofd_with_an_encrypted_entry_is_refused():
    ofd = bytearray(make_ofd())
    central = ofd.rindex(b"PK\x01\x02")  # the last entry's central-directory record
    ofd[central + 8] |= 0x1  # general purpose flag: encrypted, so ClamAV cannot look inside

    assert (
        refusal(name="a.ofd", data=bytes(ofd), allowed_types=("ofd",)) == "所选文件无法打开，请检查后重新选择"
    )


# Archives clamd could not scan to the end (T-C3, T-C6; docs/uploads.md)

ARCHIVE_INSIDE = "所选文件中含有压缩包，无法完成病毒检查，请去掉压缩包后重新上传"
TOO_LARGE_UNPACKED = "所选文件解压后过大，请检查后重新选择"
UNREADABLE = "所选文件无法打开，请检查后重新选择"


def test_T_C6_eicar_after_70_mib_of_zeros_in_an_ofd_is_refused():
    ofd = scan_payloads.eicar_after_zeros_ofd(70)

    assert len(ofd) < 100 * 1024
    assert refusal(name="a.ofd", data=ofd, allowed_types=("ofd",), max_size_mb=50) == TOO_LARGE_UNPACKED


def test_T_C6_ofd_entry_that_declares_less_than_it_holds_is_refused():
    # Declared sizes pass every check made on them; inflating shows the 70 MiB.
    ofd = scan_payloads.with_declared_size(
        scan_payloads.eicar_after_zeros_ofd(70), "Doc_0/Res/image.bin", 1024
    )
    assert zipfile.ZipFile(io.BytesIO(ofd)).getinfo("Doc_0/Res/image.bin").file_size == 1024

    assert refusal(name="a.ofd", data=ofd, allowed_types=("ofd",), max_size_mb=50) == TOO_LARGE_UNPACKED


def test_T_C6_ofd_entry_a_little_longer_than_declared_is_refused():
    image = make_image("PNG", size=(200, 200))
    ofd = scan_payloads.with_declared_size(
        scan_payloads.ofd_of({"Doc_0/Res/image.png": image}), "Doc_0/Res/image.png", len(image) - 1
    )

    assert refusal(name="a.ofd", data=ofd, allowed_types=("ofd",)) == UNREADABLE


@pytest.mark.parametrize(
    "archive",
    [
        scan_payloads.nested_zips(20),
        scan_payloads.zip_of({"a.txt": b"x"}),
        gzip.compress(b"x" * 100),
        bz2.compress(b"x" * 100),
        # A zip after other bytes: clamd finds it there too.
        make_image("PNG") + scan_payloads.zip_of({"a.txt": b"x"}),
    ],
    ids=["nested zips", "zip", "gzip", "bzip2", "zip after an image"],
)
def test_T_C6_ofd_holding_an_archive_is_refused(archive):
    ofd = scan_payloads.ofd_of({"Doc_0/Attachs/attachment.bin": archive})

    assert refusal(name="a.ofd", data=ofd, allowed_types=("ofd",)) == ARCHIVE_INSIDE


def test_T_C6_archive_across_two_inflated_chunks_is_found():
    # The zip header starts 3 bytes before the end of the first 1 MiB chunk.
    attachment = random.Random(3).randbytes(1024 * 1024 - 3) + scan_payloads.zip_of({"a.txt": b"x"})
    ofd = scan_payloads.ofd_of({"Doc_0/Attachs/attachment.bin": attachment})

    assert refusal(name="a.ofd", data=ofd, allowed_types=("ofd",)) == ARCHIVE_INSIDE


def test_T_C6_pdf_with_a_zip_appended_is_refused():
    pdf = make_pdf() + scan_payloads.zip_of({"big.bin": bytes(70 * 1024 * 1024)})

    assert refusal(name="a.pdf", data=pdf, allowed_types=("pdf",)) == ARCHIVE_INSIDE


def test_ofd_with_an_entry_in_bzip2_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("OFD.xml", OFD_XML)

    assert refusal(name="a.ofd", data=out.getvalue(), allowed_types=("ofd",)) == UNREADABLE


def test_ofd_with_images_and_text_is_accepted_after_inflating_every_entry():
    entries = {
        "Doc_0/Document.xml": DOCUMENT_XML,
        "Doc_0/Res/photo.jpg": make_image("JPEG", size=(600, 400)),
        "Doc_0/Res/seal.png": make_image("PNG", size=(300, 300)),
        "Doc_0/Pages/Page_0/Content.xml": b"<ofd:Page/>" * 5000,
    }

    checked = check_upload(
        name="a.ofd", data=scan_payloads.ofd_of(entries), allowed_types=("ofd",), max_size_mb=1
    )

    assert checked.kind == "ofd"


def test_T_C5_no_material_takes_more_than_the_upload_ceiling():
    # A material may say 200 MB; clamd reads at most 64 MiB of a stream, so 50 MB is the most.
    too_large = b"%PDF-" + bytes(UPLOAD_MAX_MB * 1024 * 1024)

    assert (
        refusal(name="a.pdf", data=too_large, allowed_types=("pdf",), max_size_mb=200)
        == "所选文件须小于 50MB"
    )


def clamd_conf() -> dict[str, str]:
    options = {}
    for line in (PROJECT / "deploy/clamav/clamd.conf").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, value = line.split(maxsplit=1)
            options[name] = value
    return options


def clamd_size(value: str) -> int:
    return int(value[:-1]) * 1024 * 1024 if value.endswith("M") else int(value)


def test_T_C6_app_limits_fit_within_clamds():
    """docs/uploads.md: clamd reads to the end of everything the app accepts."""
    clamd = clamd_conf()

    assert clamd["AlertExceedsMax"] == "yes"
    assert clamd_size(clamd["StreamMaxLength"]) > UPLOAD_MAX_MB * MB
    assert clamd_size(clamd["MaxScanSize"]) >= UPLOAD_MAX_MB * MB + OFD_MAX_UNCOMPRESSED
    # A zip member over MaxFileSize is skipped without an alert; one below it but over the scan budget
    # is reported: MaxFileSize may not be the smaller one.
    assert clamd_size(clamd["MaxFileSize"]) >= clamd_size(clamd["MaxScanSize"])
    assert int(clamd["MaxFiles"]) > OFD_MAX_ENTRIES
    assert int(clamd["MaxRecursion"]) >= 2  # an OFD and what its entries hold; no archive in an OFD


def test_several_files_are_checked_and_a_refusal_names_its_file():
    checked = check_uploads(
        [("一.pdf", make_pdf("一")), ("二.pdf", make_pdf("二"))], allowed_types=("pdf",), max_size_mb=1
    )
    assert [c.display_name for c in checked] == ["一.pdf", "二.pdf"]
    with pytest.raises(UploadError) as refused:
        check_uploads(
            [("一.pdf", make_pdf()), ("说明.pdf", b"MZ not a pdf")], allowed_types=("pdf",), max_size_mb=1
        )
    assert refused.value.message == "说明.pdf：文件类型与扩展名不符"
