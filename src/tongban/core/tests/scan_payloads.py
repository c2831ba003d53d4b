"""Files that a virus scanner cannot read to the end unless its limits and the app's agree (THREATS T-C3,
T-C6): EICAR after 70 MiB of zeros in an OFD, archives nested past clamd's MaxRecursion, zip headers that
lie about their sizes. Shared by the upload, virus-scan and attach-material tests."""

from __future__ import annotations

import io
import struct
import zipfile

from conftest import EICAR

MiB = 1024 * 1024
OFD_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">'
    b"<ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
)


def zip_of(entries: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def ofd_of(entries: dict[str, bytes]) -> bytes:
    """An OFD (a zip whose first entry is OFD.xml) holding ``entries`` besides."""
    return zip_of({"OFD.xml": OFD_XML, **entries})


def eicar_after_zeros_ofd(mib: int = 70) -> bytes:
    """One page resource of ``mib`` MiB of zeros and then the EICAR string: about 70 KB compressed."""
    return ofd_of({"Doc_0/Res/image.bin": bytes(mib * MiB) + EICAR})


def nested_zips(depth: int, payload: bytes = EICAR) -> bytes:
    """``payload`` inside ``depth`` zips, each in the next; compressed, so the payload is not in the bytes."""
    data = zip_of({"eicar.com": payload})
    for level in range(1, depth):
        data = zip_of({f"level{level}.zip": data})
    return data


def with_declared_size(archive: bytes, name: str, declared: int) -> bytes:
    """``archive`` whose entry ``name`` claims ``declared`` bytes uncompressed (local header and central
    directory alike); the data and its CRC stay as they are."""
    patched = bytearray(archive)
    info = zipfile.ZipFile(io.BytesIO(archive)).getinfo(name)
    struct.pack_into("<I", patched, info.header_offset + 22, declared)
    end = archive.rindex(b"PK\x05\x06")
    (count,) = struct.unpack_from("<H", archive, end + 10)
    (position,) = struct.unpack_from("<I", archive, end + 16)
    for _ in range(count):
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", archive, position + 28)
        if archive[position + 46 : position + 46 + name_length] == name.encode():
            struct.pack_into("<I", patched, position + 24, declared)
        position += 46 + name_length + extra_length + comment_length
    return bytes(patched)


def pdf_with_stream(payload: bytes) -> bytes:
    """A one-page PDF whose content stream is ``payload`` in hexadecimal (/ASCIIHexDecode): clamd decodes
    and scans it, while its bytes appear nowhere in the file (Flate would store a zip's incompressible
    bytes as they are)."""
    stream = payload.hex().encode() + b">"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /ASCIIHexDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out
