"""Checks on an uploaded file before anything keeps it (THREATS T-C1..T-C5, T-C8).

``check_upload()`` reads at most the material's limit plus one byte, takes the type from the content
(magic bytes), never from the name, refuses types the material does not allow and names whose extension
disagrees with the content, re-encodes images (which drops anything appended to them, EXIF and colour
profiles included) and inspects OFD archives without extracting them.

It does not store: callers pass the ``CheckedUpload`` to ``scan_upload()`` (virus scan, T-C6) and
store its ``content`` under a generated key; the display name is for people only. Whoever later reads an
OFD's XML parses it with entity resolution and DTDs off (``defusedxml``) and bounds every entry it
decompresses (T-C3, T-C8).

The limits here and clamd's (deploy/clamav/clamd.conf) are chosen together, so that clamd reads to the
end of everything the app accepts, and are documented together in docs/uploads.md: a file clamd could
not scan completely is never passed.
"""

from __future__ import annotations

import copy
import hashlib
import io
import logging
import re
import stat
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO

from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from tongban.core import virus_scan
from tongban.core.errors import TongbanError

logger = logging.getLogger(__name__)

MB = 1024 * 1024
# No material takes more, whatever its own limit says: clamd reads at most StreamMaxLength (64M) of a
# stream (docs/uploads.md).
UPLOAD_MAX_MB = 50
MAX_IMAGE_PIXELS = 40_000_000  # above any phone camera's default; a 20000×20000 flood is 400 million
OFD_MAX_ENTRIES = 1000
OFD_MAX_UNCOMPRESSED = 200 * MB  # with the upload itself, within clamd's MaxScanSize (256M)
OFD_MAX_RATIO = 100  # uncompressed / archive size; XML compresses about 10×, images about 1×
OFD_XML_MAX = 1 * MB
DISPLAY_NAME_MAX = 100
READ_CHUNK = 64 * 1024
INFLATE_CHUNK = 1 * MB

# Archives inside a material are refused: ClamAV skips a zip member larger than its MaxFileSize without
# the Heuristics.Limits.Exceeded alert that AlertExceedsMax promises (ClamAV issue 633), so only the app
# can keep such a member from passing unscanned. At the start of an OFD entry: the formats ClamAV unpacks.
ARCHIVE_STARTS = (
    b"PK\x03\x04",  # zip (and OFD, DOCX…)
    b"PK\x05\x06",  # empty zip
    b"\x1f\x8b",  # gzip
    b"BZh",  # bzip2
    b"\xfd7zXZ\x00",  # xz
    b"\x28\xb5\x2f\xfd",  # zstd
    b"\x60\xea",  # arj
)
# Anywhere in an OFD entry or a PDF, where ClamAV also finds them (self-extracting archives): a zip member
# header with a defined compression method (a chance match in image data is about one in 10^12 per
# byte), and the RAR, 7z and CAB signatures.
EMBEDDED_ARCHIVE = re.compile(
    rb"PK\x03\x04.{4}(?:[\x00-\x14]|[\x5d-\x63])\x00|Rar!\x1a\x07|7z\xbc\xaf\x27\x1c|MSCF\x00\x00\x00\x00",
    re.DOTALL,
)
EMBEDDED_ARCHIVE_SPAN = 10  # the longest match: a match across two chunks is found with this overlap


@dataclass(frozen=True)
class FileKind:
    label: str  # as users know the format, in messages
    mime_type: str
    extensions: tuple[str, ...]
    pillow_format: str = ""


KINDS: dict[str, FileKind] = {
    "pdf": FileKind("PDF", "application/pdf", ("pdf",)),
    "jpg": FileKind("JPG", "image/jpeg", ("jpg", "jpeg"), pillow_format="JPEG"),
    "png": FileKind("PNG", "image/png", ("png",), pillow_format="PNG"),
    "ofd": FileKind("OFD", "application/ofd", ("ofd",)),
}
EXTENSION_KINDS = {ext: kind for kind, spec in KINDS.items() for ext in spec.extensions}


class UploadError(TongbanError):
    """A refused upload; the message goes next to the file field."""


@dataclass(frozen=True)
class CheckedUpload:
    """A file that passed the checks. Store ``content``; ``size`` and ``sha256`` describe it."""

    kind: str  # a key of KINDS: "pdf", "jpg", "png" or "ofd"
    mime_type: str
    display_name: str  # sanitised, never a storage path (T-C4)
    size: int
    sha256: str
    content: bytes = field(repr=False)  # re-encoded for images, as uploaded otherwise
    is_reencoded: bool


def check_upload(
    *, name: str, data: IO[bytes] | bytes, allowed_types: Sequence[str], max_size_mb: int
) -> CheckedUpload:
    """Check one uploaded file against a material's allowed types and size limit.

    ``data`` is bytes or a binary stream, read from its current position, never more than
    ``max_size_mb`` MB (at most UPLOAD_MAX_MB) plus one byte (T-C5). The type comes from the content
    (T-C1, T-C2): PDF, JPEG, PNG, or an OFD (a zip holding ``OFD.xml``); anything else, SVG and HTML
    included, is refused. Images over MAX_IMAGE_PIXELS and OFDs over the entry, size or ratio limits are
    refused before anything is decoded (T-C3); an OFD's entries are then inflated (never kept) to check
    their real sizes against the same limits. OFDs with symlink or path-traversal entries (T-C3, T-C4),
    an ``OFD.xml`` declaring a DTD or entity (T-C8), and archives inside an OFD or a PDF (which clamd
    cannot be trusted to scan to the end, T-C6) are refused.

    Raises UploadError with a message for the person uploading; ValueError for an unknown type in
    ``allowed_types`` (a programming error).
    """
    allowed = list(dict.fromkeys(allowed_types))
    unknown = [t for t in allowed if t not in KINDS]
    if not allowed or unknown:
        raise ValueError(f"allowed_types must be some of {sorted(KINDS)}, not {list(allowed_types)}")

    max_size_mb = min(max_size_mb, UPLOAD_MAX_MB)
    limit = max_size_mb * MB
    content = _read_capped(data, limit)
    if not content:
        raise UploadError(_("所选文件为空"), code="empty")
    if len(content) > limit:
        raise UploadError(_("所选文件须小于 %(size)sMB") % {"size": max_size_mb}, code="too_large")

    display_name = _display_name(name)
    extension = _split_extension(display_name)[1].lower()
    kind = _sniff(content)
    archive = None
    if kind == "zip":
        archive = _open_zip(content) if "ofd" in allowed else None
        kind = "ofd" if archive is not None and "OFD.xml" in archive.namelist() else None

    if kind is None or kind not in allowed:
        if kind is None and EXTENSION_KINDS.get(extension) in allowed:
            raise UploadError(_("文件类型与扩展名不符"), code="type_mismatch")
        raise UploadError(
            _("所选文件须为 %(types)s 格式") % {"types": _labels(allowed)}, code="type_not_allowed"
        )
    if extension and EXTENSION_KINDS.get(extension) != kind:
        raise UploadError(_("文件类型与扩展名不符"), code="type_mismatch")
    if not extension:
        display_name = _join_extension(display_name, KINDS[kind].extensions[0])

    is_reencoded = False
    if kind == "pdf":
        _check_pdf(content)
        if EMBEDDED_ARCHIVE.search(content):
            raise _archive_inside()
    elif archive is not None:  # an OFD
        _check_ofd(archive, archive_size=len(content))
    else:
        content = _reencode_image(content, KINDS[kind].pillow_format)
        is_reencoded = True

    return CheckedUpload(
        kind=kind,
        mime_type=KINDS[kind].mime_type,
        display_name=display_name,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        is_reencoded=is_reencoded,
    )


def check_uploads(
    files: Iterable[tuple[str, IO[bytes] | bytes]], *, allowed_types: Sequence[str], max_size_mb: int
) -> list[CheckedUpload]:
    """``check_upload`` for several (name, data) files at once: the first refusal raises UploadError
    whose message names the file (“名称：原因”)."""
    checked = []
    for name, data in files:
        try:
            checked.append(
                check_upload(name=name, data=data, allowed_types=allowed_types, max_size_mb=max_size_mb)
            )
        except UploadError as exc:
            raise UploadError(f"{name}：{exc.message}", code=exc.code) from exc
    return checked


def _read_capped(data: IO[bytes] | bytes, limit: int) -> bytes:
    if isinstance(data, bytes):
        return data
    buffer = bytearray()
    while len(buffer) <= limit:
        chunk = data.read(min(READ_CHUNK, limit + 1 - len(buffer)))
        if not chunk:
            break
        buffer += chunk
    return bytes(buffer)


def _labels(allowed: list[str]) -> str:
    labels = [KINDS[t].label for t in allowed]
    if len(labels) == 1:
        return labels[0]
    return _("%(first)s 或 %(last)s") % {"first": "、".join(labels[:-1]), "last": labels[-1]}


def _display_name(name: str) -> str:
    """The last path component without control, bidi or Windows-reserved characters (T-C4)."""
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[/\\]", name)[-1]
    # Category C: controls (CR, LF: header injection), format characters (U+202E shows
    # "x\u202egpj.exe" as "xexe.jpg"), surrogates, private use, unassigned.
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C" and ch not in '<>:"|?*')
    name = " ".join(name.split()).strip(" .") or _("未命名")
    stem, extension = _split_extension(name)
    return _join_extension(stem, extension) if extension else name[:DISPLAY_NAME_MAX]


def _split_extension(name: str) -> tuple[str, str]:
    # "扫描件 v1.2 第二页" has no extension; "x.exe" has one that no material allows.
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and re.fullmatch(r"[A-Za-z0-9]{1,5}", suffix):
        return stem, suffix
    return name, ""


def _join_extension(stem: str, extension: str) -> str:
    return f"{stem[: DISPLAY_NAME_MAX - len(extension) - 1].rstrip(' .')}.{extension}"


def _sniff(content: bytes) -> str | None:
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def _unreadable() -> UploadError:
    return UploadError(_("所选文件无法打开，请检查后重新选择"), code="unreadable")


def _too_large_unpacked() -> UploadError:
    return UploadError(_("所选文件解压后过大，请检查后重新选择"), code="archive_too_large")


def _archive_inside() -> UploadError:
    return UploadError(
        _("所选文件中含有压缩包，无法完成病毒检查，请去掉压缩包后重新上传"), code="archive_inside"
    )


def _check_pdf(content: bytes) -> None:
    """Refuse a PDF naming /JavaScript or /JS, also written with #xx escapes (T-C1).

    Names inside compressed object streams are not seen: serving files only as attachments with
    ``nosniff`` and a sandboxing CSP is what keeps any script from running.
    """
    for match in re.finditer(rb"/(?:J|#4[Aa])[^\x00\t\n\x0c\r /<>\[\]()%{}]*", content):
        name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m[1], 16)]), match[0][1:])
        if name in (b"JavaScript", b"JS"):
            raise UploadError(_("文件含有不允许的脚本内容"), code="script")


def _open_zip(content: bytes) -> zipfile.ZipFile:
    # zipfile builds an object per central-directory record, and each record starts with this
    # signature: counting it bounds the entries before any parsing (10,000 entries: T-C3). Compressed
    # data holding the signature by chance only makes the count larger.
    if content.count(b"PK\x01\x02") > OFD_MAX_ENTRIES:
        raise _too_large_unpacked()
    try:
        return zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _unreadable() from exc


def _is_unsafe_entry_name(name: str) -> bool:
    return (
        "\\" in name
        or name.startswith("/")
        or re.match(r"[A-Za-z]:", name) is not None
        or ".." in name.split("/")
    )


def _check_ofd(archive: zipfile.ZipFile, *, archive_size: int) -> None:
    """Limits from the central directory, without extracting (T-C3, T-C4), then the real sizes and
    content of every entry, inflated and dropped (T-C3, T-C6), then OFD.xml (T-C8)."""
    entries = archive.infolist()  # at most OFD_MAX_ENTRIES: _open_zip counted them
    budget = min(OFD_MAX_UNCOMPRESSED, OFD_MAX_RATIO * archive_size)
    if sum(entry.file_size for entry in entries) > budget:
        raise _too_large_unpacked()
    for entry in entries:
        is_symlink = stat.S_ISLNK(entry.external_attr >> 16)
        is_encrypted = entry.flag_bits & 0x1  # unscannable
        # zipfile reads bzip2 and LZMA too; an OFD uses deflate, the one every reader and ClamAV know.
        is_unusual = entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
        if is_symlink or is_encrypted or is_unusual or _is_unsafe_entry_name(entry.filename):
            raise _unreadable()
    for entry in entries:
        budget -= _inflate_entry(archive, entry, budget=budget)
    try:
        with archive.open("OFD.xml") as member:
            head = member.read(OFD_XML_MAX + 1)
        text = head.decode("utf-8-sig")  # GB/T 33190 documents are UTF-8
    except (
        zipfile.BadZipFile,
        zlib.error,
        NotImplementedError,
        RuntimeError,
        OSError,
        EOFError,
        ValueError,
    ) as exc:
        # Bad CRC, unknown compression, encryption, truncation, not UTF-8 (UnicodeDecodeError).
        raise _unreadable() from exc
    if len(head) > OFD_XML_MAX or re.search(r"<!(DOCTYPE|ENTITY)", text, re.IGNORECASE):
        raise _unreadable()


def _inflate_entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, *, budget: int) -> int:
    """The real size of ``entry``, inflated in chunks and dropped; refused when it holds an archive, when
    it is larger than ``budget`` or than its declared size (a header that lies to every check made on
    declared sizes), or when its CRC is wrong."""
    # zipfile stops at the declared size, and checks the CRC there: declare more than the budget by a
    # chunk, so that a longer stream shows and is refused for its size first.
    probe = copy.copy(entry)
    probe.file_size = budget + INFLATE_CHUNK + 1
    size = 0
    tail = b""
    try:
        with archive.open(probe) as member:
            while chunk := member.read(INFLATE_CHUNK):
                if size == 0 and chunk.startswith(ARCHIVE_STARTS):
                    raise _archive_inside()
                if EMBEDDED_ARCHIVE.search(tail + chunk):
                    raise _archive_inside()
                tail = chunk[-EMBEDDED_ARCHIVE_SPAN:]
                size += len(chunk)
                if size > budget:
                    raise _too_large_unpacked()
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
        raise _unreadable() from exc
    if size != entry.file_size:
        raise _unreadable()
    return size


def scan_upload(checked: CheckedUpload, *, uploader_id: int | None = None) -> None:
    """Pass ``checked`` only if the virus scanner read all of it and found nothing (T-C6).

    Raises UploadError "所选文件含有病毒" for malware, and another message when clamd reached one of its
    limits (size, recursion, file count: reported as ``Heuristics.Limits.Exceeded…``) before the end: a
    file it could not scan completely is refused, never passed. Both are logged as warnings, the alert
    for whoever watches the logs. ScannerUnavailable (503) when there is no verdict.
    """
    result = virus_scan.scan(checked.content)
    if not result.is_infected:
        return
    logger.warning(
        "upload refused: %s",
        "scanner limit reached" if result.is_incomplete else "malware found",
        extra={
            "fields": {
                "event": "upload.scan_limit" if result.is_incomplete else "upload.malware",
                "signature": result.signature,
                "kind": checked.kind,
                "size": checked.size,
                "sha256": checked.sha256,
                "uploader_id": uploader_id,
            }
        },
    )
    if result.is_incomplete:
        raise UploadError(
            _("所选文件内容过多或嵌套层数过多，无法完成病毒检查，请拆分成较小的文件后重新上传"),
            code="scan_incomplete",
        )
    raise UploadError(_("所选文件含有病毒"), code="infected")


def _reencode_image(content: bytes, pillow_format: str) -> bytes:
    """Decode and encode again: only pixels survive (T-C1). Over MAX_IMAGE_PIXELS → refused (T-C3)."""
    try:
        with Image.open(io.BytesIO(content), formats=[pillow_format]) as image:
            # The size comes from the header; nothing is decoded yet.
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise _too_many_pixels()
            upright = ImageOps.exif_transpose(image)  # keep photos upright once EXIF is gone
    except Image.DecompressionBombError as exc:  # Pillow's own ceiling, checked in open()
        raise _too_many_pixels() from exc
    except (OSError, SyntaxError, ValueError, EOFError, TypeError, IndexError) as exc:
        raise _unreadable() from exc

    options: dict[str, object] = {}
    if pillow_format == "JPEG":
        options["quality"] = 90
        if upright.mode not in ("L", "RGB", "CMYK"):
            upright = upright.convert("RGB")
    elif "transparency" in upright.info or upright.mode not in ("1", "L", "LA", "RGB", "RGBA", "I;16"):
        # Palettes too: a palette can carry chosen bytes.
        upright = upright.convert("RGBA" if "transparency" in upright.info or "A" in upright.mode else "RGB")
    upright.info = {}  # no EXIF, ICC profile, text chunk or comment is carried over
    out = io.BytesIO()
    upright.save(out, format=pillow_format, **options)
    return out.getvalue()


def _too_many_pixels() -> UploadError:
    return UploadError(
        _("所选图片须小于 %(megapixels)s 万像素") % {"megapixels": MAX_IMAGE_PIXELS // 10_000},
        code="too_many_pixels",
    )
