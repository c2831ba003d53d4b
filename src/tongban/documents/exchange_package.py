"""The 公文交换 package: how a sealed document travels to a body outside the platform (issue 15).

A zip with exactly five entries, all at the top level:

- ``document.pdf``: the sealed PDF (its own PAdES signature by the issuing body's seal);
- ``metadata.json`` and ``metadata.xml``: the GB/T 9704 elements (``ELEMENTS``) and the sender;
- ``manifest.json``: the format, the sender platform and time, and the SHA-256 and size of the three files;
- ``signature.json``: the sending platform's signature of ``manifest.json`` (its exact bytes), with the key.

``build_package`` writes one; ``open_package`` reads one and refuses (``PackageError``, nothing kept)
anything but that shape: too large, too many entries, unsafe names (absolute, ``..``, backslashes,
drive letters, directories, symlinks: "zip slip"), a file missing, extra or twice, a size or checksum
that disagrees with the manifest. Whether the signature's key is trusted is the service's question
(``services.exchange.import_package``): this module needs no database.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import json
import re
import stat
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from tongban.core.uploads import MB, OFD_MAX_UNCOMPRESSED, UPLOAD_MAX_MB
from tongban.documents.errors import DocumentError

FORMAT = "tongban-document-exchange/1"
XML_NAMESPACE = "urn:tongban:document-exchange:1"
PDF_NAME = "document.pdf"
JSON_NAME = "metadata.json"
XML_NAME = "metadata.xml"
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "signature.json"
CONTENT_FILES = (PDF_NAME, JSON_NAME, XML_NAME)
ALL_FILES = frozenset((*CONTENT_FILES, MANIFEST_NAME, SIGNATURE_NAME))
# The package's own limits: the upload limit for the zip, the OFD limit for what it unpacks to.
MAX_PACKAGE_BYTES = UPLOAD_MAX_MB * MB
MAX_UNPACKED_BYTES = OFD_MAX_UNCOMPRESSED
MAX_ENTRIES = 16  # five are needed; more is refused before the central directory is parsed
CENTRAL_RECORD = b"PK\x01\x02"

# The GB/T 9704-2012 elements (and 文种) in the metadata: key → the standard's name.
ELEMENTS = {
    "copy_number": "份号",
    "secrecy": "密级",
    "secrecy_period": "保密期限",
    "urgency": "紧急程度",
    "issuer": "发文机关",
    "issuer_mark": "发文机关标志",
    "document_number": "发文字号",
    "signer": "签发人",
    "kind": "文种",
    "title": "标题",
    "main_recipients": "主送机关",
    "copy_recipients": "抄送机关",
    "attachments_note": "附件说明",
    "issued_on": "成文日期",
    "printed_by": "印发机关",
    "printed_on": "印发日期",
    "page_count": "页数",
}
SENDER = {"sender_platform_id": "发送平台标识", "exported_at": "导出时间"}
LIST_ELEMENTS = ("main_recipients", "copy_recipients")


class PackageError(DocumentError):
    """A package refused on import; nothing of it was kept."""


@dataclass(frozen=True)
class PackageSignature:
    platform_id: str
    key_id: str
    algorithm: str
    signature: bytes


@dataclass(frozen=True)
class OpenedPackage:
    """A package whose shape and checksums are right; its signature is not yet checked."""

    pdf: bytes
    metadata: dict[str, Any]
    manifest: bytes  # the exact bytes the signature covers
    signature: PackageSignature

    @property
    def sha256(self) -> str:
        """The package's identity: the manifest's digest (it names every file's digest and the time)."""
        return hashlib.sha256(self.manifest).hexdigest()


def metadata_xml(metadata: dict[str, Any]) -> bytes:
    """The metadata as XML: one element per key, its standard name in ``label``; lists as ``<item>``s."""
    root = ElementTree.Element("document", {"xmlns": XML_NAMESPACE, "format": FORMAT})
    for key, label in (ELEMENTS | SENDER).items():
        element = ElementTree.SubElement(root, key, {"label": label})
        value = metadata.get(key)
        if key in LIST_ELEMENTS:
            for name in value or ():
                ElementTree.SubElement(element, "item").text = str(name)
        elif value is not None:
            element.text = str(value)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True).encode() + b"\n"


def build_package(
    *,
    pdf: bytes,
    metadata: dict[str, Any],
    platform_id: str,
    created_at: dt.datetime,
    sign: Callable[[bytes], PackageSignature],
) -> bytes:
    """The zip of a package; ``sign`` signs the manifest's bytes with the platform's exchange key."""
    files = {PDF_NAME: pdf, JSON_NAME: _json(metadata), XML_NAME: metadata_xml(metadata)}
    manifest = _json(
        {
            "format": FORMAT,
            "sender_platform_id": platform_id,
            "created_at": created_at.isoformat(timespec="seconds"),
            "files": [
                {"path": name, "size": len(files[name]), "sha256": hashlib.sha256(files[name]).hexdigest()}
                for name in CONTENT_FILES
            ],
        }
    )
    signature = sign(manifest)
    signature_json = _json(
        {
            "platform_id": signature.platform_id,
            "key_id": signature.key_id,
            "algorithm": signature.algorithm,
            "signature": signature.signature.hex(),
        }
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in (*files.items(), (MANIFEST_NAME, manifest), (SIGNATURE_NAME, signature_json)):
            info = zipfile.ZipInfo(name, date_time=created_at.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def _unreadable() -> PackageError:
    return PackageError(_("交换包无法打开，请确认所选文件是公文交换包"), code="unreadable")


def _is_unsafe(entry: zipfile.ZipInfo) -> bool:
    name = entry.filename
    return (
        stat.S_ISLNK(entry.external_attr >> 16)
        or entry.is_dir()
        or "\\" in name
        or "/" in name  # every file of a package is at the top level
        or name.startswith("/")
        or re.match(r"[A-Za-z]:", name) is not None
        or name in ("", ".", "..")
        or "\x00" in name
    )


def _read(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, budget: int) -> bytes:
    """The entry's bytes, never more than its declared size or the budget (a header may lie)."""
    if entry.flag_bits & 0x1 or entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _unreadable()
    probe = copy.copy(entry)
    probe.file_size = budget + 1  # read past a lying declared size, and refuse it below
    try:
        with archive.open(probe) as member:
            content = member.read(budget + 1)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
        raise _unreadable() from exc
    if len(content) > budget:
        raise PackageError(_("交换包解压后过大，已拒绝导入"), code="too_large")
    if len(content) != entry.file_size or zlib.crc32(content) != entry.CRC:
        raise _unreadable()
    return content


def _parse_json(content: bytes, name: str) -> Any:
    try:
        return json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise PackageError(
            _("交换包中的“%(name)s”无法读取，已拒绝导入") % {"name": name}, code="unreadable"
        ) from exc


def open_package(data: bytes) -> OpenedPackage:
    """Check a package's shape and checksums (see the module's docstring). Raises ``PackageError``."""
    if len(data) > MAX_PACKAGE_BYTES:
        raise PackageError(_("交换包须小于 %(size)sMB") % {"size": UPLOAD_MAX_MB}, code="too_large")
    if data.count(CENTRAL_RECORD) > MAX_ENTRIES:
        raise PackageError(_("交换包中的文件过多，已拒绝导入"), code="too_many_entries")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _unreadable() from exc
    if len(entries) > MAX_ENTRIES:
        raise PackageError(_("交换包中的文件过多，已拒绝导入"), code="too_many_entries")
    unsafe = [entry.filename for entry in entries if _is_unsafe(entry)]
    if unsafe:
        raise PackageError(
            _("交换包中有不安全的文件路径（%(names)s），已拒绝导入") % {"names": "、".join(unsafe)},
            code="unsafe_path",
        )
    names = [entry.filename for entry in entries]
    if len(set(names)) != len(names):
        raise PackageError(_("交换包中有重名的文件，已拒绝导入"), code="duplicate")
    missing = sorted(ALL_FILES - set(names))
    if missing:
        raise PackageError(
            _("交换包缺少文件：%(names)s，已拒绝导入") % {"names": "、".join(missing)}, code="missing"
        )
    extra = sorted(set(names) - ALL_FILES)
    if extra:
        raise PackageError(
            _("交换包中有多余的文件：%(names)s，已拒绝导入") % {"names": "、".join(extra)}, code="extra"
        )
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise PackageError(_("交换包解压后过大，已拒绝导入"), code="too_large")
    budget = MAX_UNPACKED_BYTES
    files: dict[str, bytes] = {}
    for entry in entries:
        files[entry.filename] = _read(archive, entry, budget)
        budget -= len(files[entry.filename])

    manifest = _parse_json(files[MANIFEST_NAME], MANIFEST_NAME)
    listed = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(listed, list) or manifest.get("format") != FORMAT:
        raise PackageError(_("交换包的格式不是本平台支持的格式，已拒绝导入"), code="format")
    checksums = {row.get("path"): row for row in listed if isinstance(row, dict)}
    if set(checksums) != set(CONTENT_FILES) or len(listed) != len(CONTENT_FILES):
        raise PackageError(_("交换包的文件清单与包中的文件不符，已拒绝导入"), code="manifest")
    for name in CONTENT_FILES:
        row = checksums[name]
        if row.get("sha256") != hashlib.sha256(files[name]).hexdigest() or row.get("size") != len(
            files[name]
        ):
            raise PackageError(
                _("交换包中的文件“%(name)s”与清单中的校验值不符，可能已被篡改，已拒绝导入") % {"name": name},
                code="checksum",
            )

    signed = _parse_json(files[SIGNATURE_NAME], SIGNATURE_NAME)
    try:
        signature = PackageSignature(
            platform_id=str(signed["platform_id"]),
            key_id=str(signed["key_id"]),
            algorithm=str(signed["algorithm"]),
            signature=bytes.fromhex(str(signed["signature"])),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise PackageError(_("交换包的签名无法读取，已拒绝导入"), code="signature") from exc

    metadata = _parse_json(files[JSON_NAME], JSON_NAME)
    if not isinstance(metadata, dict) or not str(metadata.get("title") or "").strip():
        raise PackageError(_("交换包的元数据缺少标题，已拒绝导入"), code="metadata")
    if not str(metadata.get("issuer") or "").strip():
        raise PackageError(_("交换包的元数据缺少发文机关，已拒绝导入"), code="metadata")
    return OpenedPackage(
        pdf=files[PDF_NAME], metadata=metadata, manifest=files[MANIFEST_NAME], signature=signature
    )
