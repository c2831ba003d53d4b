"""The platform's e-licenses as a data resource (电子证照库) for the exchange: a holder's valid licenses
with their signed PDFs. Other departments' systems and the platform itself (免提交: a license stands in
for an application material) read them only through the exchange, which applies grants and logs
every use where the holder can see it (issue 5)."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Mapping

from django.db.models import QuerySet

from tongban.licenses.models import HolderCodeType, License
from tongban.sharing import providers

LICENSE_ITEMS = ("licenses", "files")


def _held(licenses: QuerySet[License], today: dt.date) -> Mapping[str, object] | None:
    valid = [
        license
        for license in licenses.filter(revoked_at__isnull=True, valid_from__lte=today).order_by("-issue_date")
        if license.valid_until is None or license.valid_until >= today
    ]
    if not valid:
        return None
    return {
        "licenses": [
            {
                "license_id": license.license_id,
                "name": license.name,
                "number": license.number,
                "issuer_name": license.issuer_name,
                "valid_from": license.valid_from.isoformat(),
                "valid_until": license.valid_until.isoformat() if license.valid_until else "",
            }
            for license in valid
        ],
        "files": {license.license_id: base64.b64encode(bytes(license.pdf)).decode() for license in valid},
    }


@providers.register("licenses.person", subject_kind="person")
def person_licenses(subject_key: str, *, today: dt.date) -> Mapping[str, object] | None:
    return _held(License.objects.filter(holder_code_hmac=subject_key), today)


@providers.register("licenses.enterprise", subject_kind="enterprise")
def enterprise_licenses(subject_key: str, *, today: dt.date) -> Mapping[str, object] | None:
    return _held(License.objects.filter(holder_code=subject_key, holder_code_type=HolderCodeType.USCC), today)
