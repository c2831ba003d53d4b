"""用印: a 公文 PDF sealed as a standard PDF signature (PAdES B-B, pyHanko) with the issuing department's
seal key, the seal visible over the 成文日期; and its offline verification.

- The keys stay with the signer plug-in (``core.signing``, T-F5): pyHanko gets a ``Signer`` whose
  ``async_sign_raw`` asks the plug-in for a raw signature of the CMS signed attributes.
- PAdES needs certificates: the platform seal CA (``SealAuthority``, its key made and held by the same
  plug-in) issues one X.509 certificate per department seal (``SealCertificate``). The CA is the only
  trust root of ``verify_pdf_seal``.
- The typeset PDF carries an empty signature field ``公文印章`` where the layout reserved room for the seal
  (``add_seal_field``); sealing signs that field, with the seal image (or a drawn red seal) as its
  appearance, so ordinary readers show the seal and check the signature.
- Any change after sealing breaks the signature (T-G2): ``verify_pdf_seal`` fails closed on a changed byte,
  an appended revision, a signature by an untrusted key or no signature at all.

ES256 (the default signer) and Ed25519 seals are supported; SM2 has no PAdES profile in pyHanko and is
refused with a clear message.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime
import hashlib
import io
import math
import secrets
from dataclasses import dataclass
from typing import Any

from asn1crypto import algos, cms, pem, x509
from asn1crypto import keys as asn1_keys
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils import layout as pdf_layout
from pyhanko.pdf_utils.content import ImportedPdfPage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from reportlab.lib.colors import Color
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas as rl_canvas

from tongban.core.signing import get_signer
from tongban.documents.errors import DocumentError
from tongban.documents.layout import SEAL_DIAMETER, RenderedDocument, document_faces
from tongban.documents.models import SealAuthority, SealCertificate
from tongban.licenses.models import Seal

FIELD_NAME = "公文印章"
SEAL_RED = Color(0.86, 0.05, 0.05)
CA_NAME = "通办平台电子公文印章证书签发机构"
CA_YEARS = 30
SEAL_CERT_YEARS = 20
# The signature mechanism per signer algorithm, and the message digest pyHanko puts in the CMS.
MECHANISMS = {"ES256": ("sha256_ecdsa", "sha256"), "Ed25519": ("ed25519", "sha512")}
SIGNATURE_SPACE = 8192  # bytes reserved for the CMS (two certificates and an ECDSA signature fit easily)


@dataclass(frozen=True)
class SealCheck:
    """What verification found. ``valid`` only when the file is intact, entirely covered by the seal's
    signature and signed by a seal certificate of the platform seal CA; ``reason`` says why in Chinese."""

    valid: bool
    intact: bool
    trusted: bool
    seal_name: str
    signer: str
    signed_at: datetime.datetime | None
    reason: str


# --- the platform seal CA and the seal certificates ------------------------------------------------


def _name(common_name: str, organization: str = "") -> x509.Name:
    values: dict[str, str] = {"country_name": "CN"}
    if organization:
        values["organization_name"] = organization
    values["common_name"] = common_name
    return x509.Name.build(values, use_printable=False)


def _algorithm_of(algorithm: str) -> tuple[str, str]:
    if algorithm not in MECHANISMS:
        raise DocumentError(
            _(
                "印章签名算法 %(algorithm)s 不能用于 PDF 签章（PAdES 仅支持 ES256、Ed25519），请联系管理员更换印章。"
            )
            % {"algorithm": algorithm},
            code="seal_algorithm",
        )
    return MECHANISMS[algorithm]


def _signed_certificate(
    *,
    tbs: x509.TbsCertificate,
    algorithm: str,
    private_key_ref: str,
) -> x509.Certificate:
    mechanism, _digest = _algorithm_of(algorithm)
    signature = get_signer().sign(private_key_ref=private_key_ref, data=tbs.dump())
    return x509.Certificate(
        {
            "tbs_certificate": tbs,
            "signature_algorithm": {"algorithm": mechanism},
            "signature_value": signature,
        }
    )


def _tbs(
    *,
    serial: int,
    issuer: x509.Name,
    subject: x509.Name,
    public_key: asn1_keys.PublicKeyInfo,
    mechanism: str,
    years: int,
    ca: bool,
    issuer_key: asn1_keys.PublicKeyInfo,
) -> x509.TbsCertificate:
    now = timezone.now().replace(microsecond=0)
    key_usage = {"key_cert_sign", "crl_sign"} if ca else {"digital_signature", "non_repudiation"}
    extensions = [
        {"extn_id": "basic_constraints", "critical": True, "extn_value": {"ca": ca}},
        {"extn_id": "key_usage", "critical": True, "extn_value": key_usage},
        {"extn_id": "key_identifier", "critical": False, "extn_value": public_key.sha1},
        {
            "extn_id": "authority_key_identifier",
            "critical": False,
            "extn_value": {"key_identifier": issuer_key.sha1},
        },
    ]
    return x509.TbsCertificate(
        {
            "version": "v3",
            "serial_number": serial,
            "signature": {"algorithm": mechanism},
            "issuer": issuer,
            "validity": {
                "not_before": x509.Time({"utc_time": now - datetime.timedelta(minutes=5)}),
                "not_after": x509.Time({"general_time": now.replace(year=now.year + years)}),
            },
            "subject": subject,
            "subject_public_key_info": public_key,
            "extensions": extensions,
        }
    )


def _public_key(public_key_pem: str) -> asn1_keys.PublicKeyInfo:
    _type, _headers, der = pem.unarmor(public_key_pem.encode())
    return asn1_keys.PublicKeyInfo.load(der)


def _to_pem(certificate: x509.Certificate) -> str:
    return pem.armor("CERTIFICATE", certificate.dump()).decode()


def load_certificate(certificate_pem: str) -> x509.Certificate:
    _type, _headers, der = pem.unarmor(certificate_pem.encode())
    return x509.Certificate.load(der)


def ensure_authority() -> SealAuthority:
    """The active platform seal CA, made on first use: a key pair from the signer plug-in and a
    self-signed root certificate signed through the plug-in."""
    authority = SealAuthority.objects.filter(is_active=True).first()
    if authority is not None:
        return authority
    signer = get_signer()
    mechanism, _digest = _algorithm_of(signer.algorithm)
    pair = signer.generate_key()
    name = _name(CA_NAME, "通办平台")
    public_key = _public_key(pair.public_key_pem)
    tbs = _tbs(
        serial=secrets.randbits(120),
        issuer=name,
        subject=name,
        public_key=public_key,
        mechanism=mechanism,
        years=CA_YEARS,
        ca=True,
        issuer_key=public_key,
    )
    certificate = _signed_certificate(tbs=tbs, algorithm=pair.algorithm, private_key_ref=pair.private_key_ref)
    try:
        with transaction.atomic():
            return SealAuthority.objects.create(
                name=CA_NAME,
                algorithm=pair.algorithm,
                certificate_pem=_to_pem(certificate),
                private_key_ref=pair.private_key_ref,
            )
    except IntegrityError:  # made at the same moment by another request
        return SealAuthority.objects.get(is_active=True)


def certificate_for(seal: Seal, *, organization: str) -> SealCertificate:
    """The seal's certificate from the platform seal CA, issued on first use."""
    existing = SealCertificate.objects.filter(seal=seal).select_related("authority").first()
    if existing is not None:
        return existing
    _algorithm_of(seal.algorithm)
    authority = ensure_authority()
    mechanism, _digest = _algorithm_of(authority.algorithm)
    ca_certificate = load_certificate(authority.certificate_pem)
    serial = secrets.randbits(120)
    tbs = _tbs(
        serial=serial,
        issuer=ca_certificate.subject,
        subject=_name(seal.name, organization),
        public_key=_public_key(seal.public_key_pem),
        mechanism=mechanism,
        years=SEAL_CERT_YEARS,
        ca=False,
        issuer_key=ca_certificate.public_key,
    )
    certificate = _signed_certificate(
        tbs=tbs, algorithm=authority.algorithm, private_key_ref=authority.private_key_ref
    )
    try:
        with transaction.atomic():
            return SealCertificate.objects.create(
                seal=seal,
                authority=authority,
                serial_number=format(serial, "x"),
                certificate_pem=_to_pem(certificate),
                not_after=certificate.not_valid_after,
            )
    except IntegrityError:
        return SealCertificate.objects.select_related("authority").get(seal=seal)


def trust_roots() -> list[x509.Certificate]:
    """Every platform seal CA certificate, retired ones included (their documents still verify)."""
    return [
        load_certificate(pem_text)
        for pem_text in SealAuthority.objects.values_list("certificate_pem", flat=True)
    ]


# --- the signature field and the visible seal -------------------------------------------------------


def add_seal_field(rendered: RenderedDocument) -> bytes:
    """The rendered PDF with an empty signature field ``公文印章`` where the seal goes (over the 署名 and
    成文日期), as an incremental update; ``seal_pdf`` signs that field."""
    writer = IncrementalPdfFileWriter(io.BytesIO(rendered.pdf))
    box = rendered.seal_box
    fields.append_signature_field(
        writer,
        fields.SigFieldSpec(
            sig_field_name=FIELD_NAME,
            on_page=box.page_index,
            box=(round(box.left), round(box.bottom), round(box.right), round(box.top)),
        ),
    )
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def seal_appearance_pdf(*, text: str, image: bytes | None = None) -> bytes:
    """One page the size of the seal (42 mm) with a transparent background: the uploaded seal image, or a
    red round seal with the issuer's name along the rim and a five-pointed star."""
    buffer = io.BytesIO()
    size = SEAL_DIAMETER
    page = rl_canvas.Canvas(buffer, pagesize=(size, size), invariant=True)
    if image:
        page.drawImage(
            ImageReader(io.BytesIO(image)), 0, 0, size, size, mask="auto", preserveAspectRatio=True
        )
    else:
        _draw_seal(page, text, cx=size / 2, cy=size / 2, radius=size / 2 - 1.5)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _draw_seal(page: rl_canvas.Canvas, text: str, *, cx: float, cy: float, radius: float) -> None:
    font = document_faces().title
    page.setStrokeColor(SEAL_RED)
    page.setFillColor(SEAL_RED)
    page.setLineWidth(3)
    page.circle(cx, cy, radius)
    size = min(15.0, max(9.0, 2 * math.pi * radius * 0.62 / max(len(text), 1)))
    span = min(250.0, (size * 1.1) * len(text) / (radius * 0.72) * 180 / math.pi)
    for index, char in enumerate(text):
        angle = 90 + span / 2 - (span / max(len(text) - 1, 1)) * index
        rad = math.radians(angle)
        page.saveState()
        page.translate(
            cx + (radius - size * 0.95) * math.cos(rad), cy + (radius - size * 0.95) * math.sin(rad)
        )
        page.rotate(angle - 90)
        page.setFont(font, size)
        page.drawCentredString(0, -size * 0.4, char)
        page.restoreState()
    star_outer = radius * 0.32
    points = []
    for i in range(10):
        r = star_outer if i % 2 == 0 else star_outer * 0.382
        a = math.radians(90 + 36 * i)
        points.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    path = page.beginPath()
    path.moveTo(*points[0])
    for point in points[1:]:
        path.lineTo(*point)
    path.close()
    page.drawPath(path, stroke=0, fill=1)


class _SealContent(ImportedPdfPage):
    """pyHanko's imported page, read from bytes instead of a file name."""

    def __init__(self, data: bytes) -> None:
        super().__init__(file_name="", page_ix=0)
        self._data = data

    def render(self) -> bytes:
        writer = self._ensure_writer
        reader = PdfFileReader(io.BytesIO(self._data))
        xobject = writer.import_page_as_xobject(reader, page_ix=0)
        resource_name = b"/SealImage" + hashlib.sha1(self._data).hexdigest()[:12].encode()  # noqa: S324
        self.resources.xobject[resource_name.decode("ascii")] = xobject
        x1, y1, x2, y2 = xobject.get_object()["/BBox"]
        self.box = pdf_layout.BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return resource_name + b" Do"


class PluginSigner(signers.Signer):
    """A pyHanko signer whose raw signatures come from the signer plug-in; the key never comes here."""

    def __init__(self, *, private_key_ref: str, algorithm: str, certificate, ca_certificate) -> None:
        mechanism, _digest = _algorithm_of(algorithm)
        super().__init__(
            signing_cert=certificate,
            cert_registry=SimpleCertificateStore.from_certs([ca_certificate]),
            signature_mechanism=algos.SignedDigestAlgorithm({"algorithm": mechanism}),
        )
        self._private_key_ref = private_key_ref

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        if dry_run:
            return bytes(72)
        return get_signer().sign(private_key_ref=self._private_key_ref, data=data)


def seal_pdf(
    pdf: bytes,
    *,
    seal: Seal,
    issuer_name: str,
    reason: str = "",
    seal_image: bytes | None = None,
) -> bytes:
    """The PDF signed in its ``公文印章`` field with ``seal`` (PAdES B-B), the seal shown over the date."""
    certificate_row = certificate_for(seal, organization=issuer_name)
    certificate = load_certificate(certificate_row.certificate_pem)
    ca_certificate = load_certificate(certificate_row.authority.certificate_pem)
    _mechanism, digest = _algorithm_of(seal.algorithm)
    signer = PluginSigner(
        private_key_ref=seal.private_key_ref,
        algorithm=seal.algorithm,
        certificate=certificate,
        ca_certificate=ca_certificate,
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm=digest,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or _("公文用印"),
        name=issuer_name,
    )
    style = StaticStampStyle(
        background=_SealContent(seal_appearance_pdf(text=issuer_name, image=seal_image)),
        background_opacity=1.0,
        border_width=0,
        background_layout=pdf_layout.SimpleBoxLayoutRule(
            x_align=pdf_layout.AxisAlignment.ALIGN_MID,
            y_align=pdf_layout.AxisAlignment.ALIGN_MID,
            margins=pdf_layout.Margins.uniform(0),
        ),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    pdf_signer = signers.PdfSigner(metadata, signer=signer, stamp_style=style)
    try:
        # Signing is a coroutine too: sign_pdf's asyncio.run fails where this thread runs a loop.
        output = _run_to_completion(
            pdf_signer.async_sign_pdf(writer, existing_fields_only=True, bytes_reserved=SIGNATURE_SPACE)
        )
    except SigningError as exc:
        raise DocumentError(_("用印失败：%(reason)s") % {"reason": exc}, code="seal_failed") from exc
    return output.getvalue()


# --- verification ----------------------------------------------------------------------------------


def _invalid(
    reason: str,
    *,
    intact: bool = False,
    seal_name: str = "",
    signer: str = "",
    signed_at: datetime.datetime | None = None,
) -> SealCheck:
    return SealCheck(
        valid=False,
        intact=intact,
        trusted=False,
        seal_name=seal_name,
        signer=signer,
        signed_at=signed_at,
        reason=reason,
    )


def _run_to_completion(coroutine: Any) -> Any:
    """pyHanko's validation is a coroutine: run it here, or in a thread of its own when this thread
    already runs an event loop (an async view, a browser test's driver), where asyncio.run would fail."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def verify_pdf_seal(data: bytes, *, roots: list[x509.Certificate] | None = None) -> SealCheck:
    """Check a sealed 公文 offline against the platform seal CA (or ``roots``). Fails closed."""
    trust = trust_roots() if roots is None else roots
    if not trust:
        return _invalid(_("本平台尚无印章证书签发机构，无法核验。"))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:
        return _invalid(_("文件不是完整的 PDF，无法读取印章。"))
    if not signatures:
        return _invalid(_("文件中没有电子印章（PDF 签名）。"))
    signature = signatures[-1]
    context = ValidationContext(trust_roots=trust, allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = _run_to_completion(
            async_validate_pdf_signature(
                signature,
                signer_validation_context=context,
                key_usage_settings=KeyUsageConstraints(key_usage={"non_repudiation"}),
            )
        )
    except Exception:
        return _invalid(_("电子印章数据损坏，无法核验。"))
    cert = status.signing_cert
    seal_name = cert.subject.native.get("common_name", "") if cert is not None else ""
    signer_name = cert.subject.native.get("organization_name", "") if cert is not None else ""
    signed_at = status.signer_reported_dt

    def refused(reason: str, *, intact: bool = False) -> SealCheck:
        return _invalid(reason, intact=intact, seal_name=seal_name, signer=signer_name, signed_at=signed_at)

    if not status.intact or not status.valid or not _contents_clean(signature):
        return refused(_("文件在用印后被改动，印章签名无效。"))
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return refused(_("用印后文件又被追加修改，印章不再覆盖全文。"), intact=True)
    if not status.trusted:
        return refused(_("印章证书不是本平台印章证书签发机构签发的，不可信。"), intact=True)
    return SealCheck(
        valid=True,
        intact=True,
        trusted=True,
        seal_name=seal_name,
        signer=signer_name,
        signed_at=signed_at,
        reason=_("印章有效：文件自用印后未被改动，印章证书由本平台签发。"),
    )


def _contents_clean(signature) -> bool:
    """The bytes after the CMS in the signature's /Contents are the zero padding pyHanko wrote."""
    contents = signature.sig_object.get_object()["/Contents"]
    raw = bytes(contents)
    try:
        info = cms.ContentInfo.load(raw, strict=False)
        der_length = len(info.dump())
    except ValueError:
        return False
    return not any(raw[der_length:])
