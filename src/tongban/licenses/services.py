"""E-license writes: seals and their keys, license types and bindings, issuance at closure, revocation,
share links (加注件), and verification (signature first, then status; STANDARDS §8, THREATS T-F1–T-F5)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts.rules import mask_resident_id
from tongban.accounts.selectors import account_summary
from tongban.accounts.services import resident_id_digest
from tongban.applications.selectors import application_facts
from tongban.core.identifiers import ORGANIZATION_CODE_ALPHABET, make_uscc
from tongban.core.signing import ALGORITHMS, get_signer, verify_signature
from tongban.licenses import pdf as license_pdf
from tongban.licenses.errors import LicenseError, LicenseStateError
from tongban.licenses.models import (
    HolderCodeType,
    HolderKind,
    License,
    LicenseBinding,
    LicenseEvent,
    LicenseShare,
    LicenseStatus,
    LicenseType,
    Seal,
)
from tongban.licenses.rules import (
    NEW_USCC,
    PAYLOAD_VERSION,
    canonical_json,
    chinese_date,
    face_field_problems,
    face_value,
    holder_source_problems,
    license_status,
    valid_until,
)
from tongban.licenses.types import FaceField, Verification
from tongban.organizations.selectors import department_ids_for, department_ref, region_ref
from tongban.registries.selectors import uscc_is_registered

# Who may revoke a license of their department (T-B3: other departments' licenses are not found).
REVOKE_ROLES = ("approver", "department_admin")
SHARE_MAX_DAYS = 30


def revoking_department_ids(staff_id: int) -> set[int]:
    return set().union(*(department_ids_for(user_id=staff_id, role=role) for role in REVOKE_ROLES))


# --- seals and license types ------------------------------------------------------------------------


def create_seal(*, department_id: int, name: str = "") -> str:
    """Make the department's seal with a new key pair from the configured signer; the previous seal is
    retired (licenses it signed still verify, its public key stays in the trust store). Returns the key id.
    """
    department = department_ref(department_id)
    pair = get_signer().generate_key()
    with transaction.atomic():
        Seal.objects.filter(department_id=department_id, is_active=True).update(is_active=False)
        seal = Seal.objects.create(
            department_id=department_id,
            name=name or _("%(department)s电子印章") % {"department": department.name},
            key_id=secrets.token_hex(8),
            algorithm=pair.algorithm,
            public_key_pem=pair.public_key_pem,
            private_key_ref=pair.private_key_ref,
        )
    return seal.key_id


def ensure_seal(*, department_id: int) -> str:
    """The key id of the department's seal, made on first use (demo load, set-up)."""
    seal = Seal.objects.filter(department_id=department_id, is_active=True).first()
    return seal.key_id if seal else create_seal(department_id=department_id)


def ensure_license_type(
    *,
    department_id: int,
    code: str,
    name: str,
    holder_kind: str,
    validity_years: int,
    face_fields: list[dict[str, str]],
    holder_name_source: str = "",
    holder_code_source: str = "",
) -> int:
    """Create or update the department's license type ``code``. Raises ``LicenseError`` on a bad face or
    holder source (only form answers, empty meaning the applicant's account, or ``new_uscc`` for a
    legal person registered by the license)."""
    problems = face_field_problems(face_fields) + holder_source_problems(
        holder_kind=holder_kind, name_source=holder_name_source, code_source=holder_code_source
    )
    if problems:
        raise LicenseError(problems[0], details=problems)
    if holder_kind not in HolderKind.values:
        raise LicenseError(_("请选择持证主体类别"))
    license_type, _created = LicenseType.objects.update_or_create(
        department_id=department_id,
        code=code,
        defaults={
            "name": name,
            "holder_kind": holder_kind,
            "validity_years": validity_years,
            "face_fields": face_fields,
            "holder_name_source": holder_name_source,
            "holder_code_source": holder_code_source,
        },
    )
    return license_type.pk


def bind_item(*, item_id: int, license_type_id: int) -> None:
    """The catalog item ``item_id`` issues licenses of ``license_type_id`` when approved."""
    LicenseBinding.objects.update_or_create(item_id=item_id, defaults={"license_type_id": license_type_id})


# --- issuance ---------------------------------------------------------------------------------------


def issue_license_for_application(*, application_id: int) -> str | None:
    """Issue the e-license that the closed (办结, approved) application earned, signed with the issuing
    department's seal. Idempotent: a second call returns the first license (one license per application,
    a unique constraint). Returns the license id, or None when the item issues no license.

    Raises ``LicenseStateError`` when the application is not closed or the department has no seal
    (T-F5: no signature without final approval), ``LicenseError`` when a face field has no value.
    """
    facts = application_facts(application_id)
    if facts is None or facts.status != "closed":
        raise LicenseStateError(_("办件尚未办结，不能签发证照。"))
    binding = LicenseBinding.objects.select_related("license_type").filter(item_id=facts.item_id).first()
    if binding is None:
        return None
    existing = License.objects.filter(application_id=application_id).values_list("license_id", flat=True)
    if existing:
        return existing[0]
    license_type = binding.license_type
    seal = Seal.objects.filter(department_id=license_type.department_id, is_active=True).first()
    if seal is None:
        raise LicenseStateError(_("发证部门尚未配置电子印章，不能签发证照。"))
    department = department_ref(license_type.department_id)
    applicant = account_summary(facts.applicant_id)
    answers = facts.form_data
    issue_date = timezone.localdate()
    applicant_values = {
        "full_name": applicant.full_name,
        "uscc": applicant.uscc,
        "legal_representative": applicant.legal_representative,
    }
    # 设立登记: the new legal person gets a code of its own, never one typed by the applicant.
    assigned = _new_uscc(department.region_id) if license_type.holder_code_source == NEW_USCC else None
    face = []
    for field in license_type.face_fields:
        value = face_value(
            field["source"],
            answers=answers,
            applicant=applicant_values,
            issue_date=issue_date,
            decision_date=timezone.localdate(facts.approved_at) if facts.approved_at else None,
            new_uscc=assigned or "",
        )
        if not value:
            raise LicenseError(_("照面信息“%(label)s”缺少内容，不能签发证照。") % {"label": field["label"]})
        face.append(FaceField(key=field["key"], label=field["label"], value=value))
    holder_name, code_type, holder_code, holder_hmac = _holder(license_type, answers, applicant, assigned)
    ends = valid_until(valid_from=issue_date, years=license_type.validity_years)
    license_id = f"{license_type.code}-{department.uscc}-{issue_date:%Y}-{secrets.token_hex(5).upper()}"
    number = f"{issue_date:%Y}{secrets.randbelow(10**10):010d}"
    signed_at = timezone.now()
    payload: dict[str, Any] = {
        "version": PAYLOAD_VERSION,
        "license_id": license_id,
        "name": license_type.name,
        "type_code": license_type.code,
        "number": number,
        "issuer": {"name": department.name, "code": department.uscc},
        "issue_date": issue_date.isoformat(),
        "holder": {"name": holder_name, "code_type": code_type, "code": holder_code},
        "valid_from": issue_date.isoformat(),
        "valid_until": ends.isoformat() if ends else None,
        "face": [{"key": f.key, "label": f.label, "value": f.value} for f in face],
        "signer": {"key_id": seal.key_id, "alg": seal.algorithm, "seal": seal.name},
        "signed_at": signed_at.isoformat(),
    }
    signer = get_signer()
    data_signature = signer.sign(private_key_ref=seal.private_key_ref, data=canonical_json(payload))
    signature_text = base64.b64encode(data_signature).decode()
    envelope: dict[str, Any] = {
        "payload": payload,
        "alg": seal.algorithm,
        "key_id": seal.key_id,
        "signature": signature_text,
    }
    token = secrets.token_urlsafe(24)
    document = _signed_pdf(
        payload=payload, face=face, envelope=envelope, seal=seal, token=token, department_name=department.name
    )
    try:
        with transaction.atomic():
            license_row = License.objects.create(
                license_id=license_id,
                license_type=license_type,
                application_id=application_id,
                department_id=license_type.department_id,
                holder_id=facts.applicant_id,
                name=license_type.name,
                number=number,
                issuer_name=department.name,
                issuer_code=department.uscc,
                issue_date=issue_date,
                holder_name=holder_name,
                holder_code_type=code_type,
                holder_code=holder_code,
                holder_code_hmac=holder_hmac,
                assigned_uscc=assigned,
                valid_from=issue_date,
                valid_until=ends,
                face=payload["face"],
                seal=seal,
                signed_payload=canonical_json(payload).decode(),
                signature=signature_text,
                signed_at=signed_at,
                pdf=document,
                verification_token=token,
            )
            LicenseEvent.objects.create(
                license=license_row,
                action=LicenseEvent.Action.ISSUED,
                to_status=LicenseStatus.VALID,
                reason=_("办件%(number)s办结") % {"number": facts.number},
            )
    except IntegrityError:
        # The receiver ran twice at once: the other run issued it.
        existing = License.objects.filter(application_id=application_id).values_list("license_id", flat=True)
        if existing:
            return existing[0]
        raise
    return license_id


def _new_uscc(region_id: int) -> str:
    """A unified social credit code for a legal person registered now (GB 32100: 9 工商, 1 企业, the
    registering department's region, a random organization code with its GB 11714 check character
    and the code's own check character), used by no license and no registered legal person."""
    region_code = region_ref(region_id).code[:6]
    while True:
        body = "".join(secrets.choice(ORGANIZATION_CODE_ALPHABET) for _position in range(8))
        code = make_uscc(registry="9", kind="1", region_code=region_code, organization_body=body)
        taken = License.objects.filter(
            Q(assigned_uscc=code) | Q(holder_code=code)
        ).exists() or uscc_is_registered(code)
        if not taken:
            return code


def _holder(
    license_type: LicenseType, answers: dict[str, object], applicant: Any, assigned_uscc: str | None
) -> tuple[str, str, str, str]:
    """Holder name, code type, code as shown (masked for an ID number) and the ID number's keyed hash.
    Taken from the type's holder sources in the answers, else from the applicant's account; a newly
    registered legal person holds the code assigned to it."""
    legal = license_type.holder_kind == HolderKind.LEGAL
    name_source = license_type.holder_name_source or ("form.organization_name" if legal else "form.name")
    code_source = license_type.holder_code_source or ("form.uscc" if legal else "form.resident_id")
    name = _answer(name_source, answers) or applicant.full_name
    if assigned_uscc:
        return name, HolderCodeType.USCC, assigned_uscc, ""
    code = _answer(code_source, answers).upper()
    if legal:
        uscc = code or applicant.uscc
        if not uscc:
            raise LicenseError(_("缺少持证主体的统一社会信用代码，不能签发证照。"))
        return name, HolderCodeType.USCC, uscc, ""
    if code:
        return name, HolderCodeType.RESIDENT_ID, mask_resident_id(code), resident_id_digest(code)
    if applicant.masked_resident_id:
        return name, HolderCodeType.RESIDENT_ID, applicant.masked_resident_id, ""
    raise LicenseError(_("缺少持证人的身份证号码，不能签发证照。"))


def _answer(source: str, answers: dict[str, object]) -> str:
    return face_value(source, answers=answers, applicant={}, issue_date=timezone.localdate())


def _signed_pdf(
    *,
    payload: dict[str, Any],
    face: list[FaceField],
    envelope: dict[str, Any],
    seal: Seal,
    token: str,
    department_name: str,
) -> bytes:
    holder = payload["holder"]
    rows = [
        (_("证照编号"), payload["number"]),
        (_("持证主体"), holder["name"]),
        (str(HolderCodeType(holder["code_type"]).label), holder["code"]),
        (
            _("有效期"),
            _("%(start)s至%(end)s")
            % {
                "start": chinese_date(dt.date.fromisoformat(payload["valid_from"])),
                "end": chinese_date(dt.date.fromisoformat(payload["valid_until"]))
                if payload["valid_until"]
                else _("长期"),
            },
        ),
    ]
    face_pdf = license_pdf.render_face(
        title=payload["name"],
        rows=rows,
        face=face,
        issuer_name=department_name,
        issue_date_text=chinese_date(dt.date.fromisoformat(payload["issue_date"])),
        seal_text=department_name,
        verify_url=settings.TONGBAN_PUBLIC_BASE_URL.rstrip("/") + reverse("licenses:verify", args=[token]),
        seal_image=_seal_image(seal),
    )
    document = license_pdf.attach_data(face_pdf, envelope)
    signature = get_signer().sign(private_key_ref=seal.private_key_ref, data=document)
    return license_pdf.append_trailer(
        document, license_pdf.Trailer(algorithm=seal.algorithm, key_id=seal.key_id, signature=signature)
    )


def _seal_image(seal: Seal) -> bytes | None:
    """The uploaded seal image, or None: the face then shows a seal drawn from the department's name."""
    if not seal.image:
        return None
    with seal.image.open("rb") as image:
        return image.read()


# --- revocation and sharing -------------------------------------------------------------------------


def revoke_license(*, license_pk: int, staff_id: int, reason: str) -> None:
    """注销: an approver or department admin of the issuing department revokes the license, with a reason.
    Takes effect at once for every verification (T-F3); audited as a status change.

    Raises ``LicenseError`` (not found, for other departments too; no reason) or ``LicenseStateError``.
    """
    reason = reason.strip()
    with transaction.atomic():
        license_row = (
            License.objects.select_for_update()
            .filter(pk=license_pk, department_id__in=revoking_department_ids(staff_id))
            .first()
        )
        if license_row is None:
            raise LicenseError(_("没有找到该证照。"), code="not_found")
        if not reason:
            raise LicenseError(_("请输入注销原因"))
        if license_row.revoked_at is not None:
            raise LicenseStateError(_("该证照已注销。"))
        from_status = license_row.status
        license_row.revoked_at = timezone.now()
        license_row.revoked_reason = reason
        license_row.save(update_fields=["revoked_at", "revoked_reason"])
        LicenseEvent.objects.create(
            license=license_row,
            action=LicenseEvent.Action.REVOKED,
            from_status=from_status,
            to_status=LicenseStatus.REVOKED,
            actor_id=staff_id,
            at=license_row.revoked_at,
            reason=reason,
        )


def create_share(*, license_pk: int, holder_id: int, purpose: str, days: int, fields: list[str]) -> str:
    """加注件: a link for one purpose showing the chosen face fields, valid ``days`` (1–30) days.
    Returns the link token. Raises ``LicenseError`` or ``LicenseStateError`` (license not valid)."""
    purpose = purpose.strip()
    license_row = License.objects.filter(pk=license_pk, holder_id=holder_id).first()
    if license_row is None:
        raise LicenseError(_("没有找到该证照。"), code="not_found")
    if not purpose:
        raise LicenseError(_("请输入用途"))
    if len(purpose) > 100:
        raise LicenseError(_("用途不能超过100个字"))
    if not 1 <= days <= SHARE_MAX_DAYS:
        raise LicenseError(_("有效天数须为1到30天"))
    known = {f["key"] for f in license_row.face}
    if not set(fields) <= known:
        raise LicenseError(_("请选择要公开的照面信息"))
    if license_row.status != LicenseStatus.VALID:
        raise LicenseStateError(
            _("该证照%(status)s，不能生成加注件。") % {"status": license_row.status_label}
        )
    now = timezone.now()
    share = LicenseShare.objects.create(
        license=license_row,
        token=secrets.token_urlsafe(24),
        purpose=purpose,
        fields=[f["key"] for f in license_row.face if f["key"] in fields],
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    return share.token


# --- verification -----------------------------------------------------------------------------------


def _failed(message: str) -> Verification:
    return Verification(signature_ok=False, message=message)


def verify_envelope(envelope: object) -> Verification:
    """Check signed license data (``{"payload", "alg", "key_id", "signature"}``): the algorithm is on the
    allowlist, the key is a seal in the platform's trust store, the signature matches; then the status,
    live from the register when the license is in it (T-F1, T-F2, T-F3)."""
    if not isinstance(envelope, dict) or not isinstance(envelope.get("payload"), dict):
        return _failed(_("验证失败：证照数据不完整"))
    payload = envelope["payload"]
    algorithm = str(envelope.get("alg", ""))
    if not envelope.get("signature"):
        return _failed(_("验证失败：缺少签名"))
    if algorithm not in ALGORITHMS:
        return _failed(_("验证失败：签名算法不受支持"))
    seal = _trusted_seal(str(envelope.get("key_id", "")), algorithm)
    if seal is None or payload.get("signer", {}).get("key_id") != seal.key_id:
        return _failed(_("验证失败：签发机关证书不受信任"))
    try:
        signature = base64.b64decode(str(envelope["signature"]), validate=True)
    except ValueError:
        return _failed(_("验证失败：签名无效"))
    if not verify_signature(
        algorithm=algorithm,
        public_key_pem=seal.public_key_pem,
        data=canonical_json(payload),
        signature=signature,
    ):
        return _failed(_("验证失败：签名无效"))
    return _with_status(payload)


def verify_pdf(data: bytes) -> Verification:
    """Check a license PDF: the file signature (any changed byte fails), then the attached data, then the
    status (live from the register, else from the signed validity period)."""
    split = license_pdf.split_trailer(data)
    if split is None:
        return _failed(_("验证失败：文件没有证照签名"))
    signed, trailer = split
    if trailer.algorithm not in ALGORITHMS:
        return _failed(_("验证失败：签名算法不受支持"))
    seal = _trusted_seal(trailer.key_id, trailer.algorithm)
    if seal is None:
        return _failed(_("验证失败：签发机关证书不受信任"))
    if not verify_signature(
        algorithm=trailer.algorithm,
        public_key_pem=seal.public_key_pem,
        data=signed,
        signature=trailer.signature,
    ):
        return _failed(_("验证失败：文件已被修改，签名无效"))
    envelope = license_pdf.attached_data(signed)
    if envelope is None or envelope.get("key_id") != trailer.key_id:
        return _failed(_("验证失败：证照数据不完整"))
    return verify_envelope(envelope)


def verify_token(token: str) -> Verification | None:
    """The verification behind the QR code: the stored data is checked like any other (signature first),
    then the live status. None for an unknown token."""
    license_row = License.objects.select_related("seal").filter(verification_token=token).first()
    if license_row is None:
        return None
    return verify_stored(license_row)


def verify_stored(license_row: License) -> Verification:
    """Verify a license of the register from its stored signed data (as anyone's copy would be)."""
    return verify_envelope(
        {
            "payload": json.loads(license_row.signed_payload),
            "alg": license_row.seal.algorithm,
            "key_id": license_row.seal.key_id,
            "signature": license_row.signature,
        }
    )


def _trusted_seal(key_id: str, algorithm: str) -> Seal | None:
    """The trust store: seals the platform made (active or retired), matched by key id and algorithm."""
    if not key_id:
        return None
    return Seal.objects.filter(key_id=key_id, algorithm=algorithm).first()


def _with_status(payload: dict[str, Any]) -> Verification:
    today = timezone.localdate()
    license_id = str(payload.get("license_id", ""))
    known = (
        License.objects.filter(license_id=license_id)
        .values("revoked_at", "valid_until", "signed_payload")
        .first()
    )
    if known is not None and known["signed_payload"] == canonical_json(payload).decode():
        status = license_status(
            revoked=known["revoked_at"] is not None, valid_until=known["valid_until"], today=today
        )
        source, revoked_at = "online", known["revoked_at"]
    else:
        ends = payload.get("valid_until")
        status = license_status(
            revoked=False, valid_until=dt.date.fromisoformat(ends) if ends else None, today=today
        )
        source, revoked_at = "offline", None
    label = str(LicenseStatus(status).label)
    if status == LicenseStatus.REVOKED and revoked_at is not None:
        message = _("签名有效；该证照已于%(date)s注销") % {
            "date": chinese_date(timezone.localtime(revoked_at).date())
        }
    elif status == LicenseStatus.EXPIRED:
        message = _("签名有效；该证照已过期")
    else:
        message = _("签名有效；证照状态：%(status)s") % {"status": label}
    return Verification(
        signature_ok=True,
        message=message,
        license_id=license_id,
        status=status,
        status_label=label,
        status_source=source,
        revoked_at=revoked_at,
        payload=payload,
    )
