"""E-license reads, always within what the viewer may see (T-B1 holders, T-B3 departments)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from tongban.licenses.models import License, LicenseBinding, LicenseShare, Seal
from tongban.organizations.selectors import CASE_HANDLING_ROLES, department_ids_for

# Staff who see their department's licenses: those who handle its cases, and its administrator, who
# revokes them (services.REVOKE_ROLES).
LIST_ROLES = CASE_HANDLING_ROLES | {"department_admin"}


def licenses_of(holder_id: int) -> QuerySet[License]:
    """我的证照: the holder's licenses, newest first (the PDF bytes are not loaded)."""
    return License.objects.filter(holder_id=holder_id).defer("pdf").order_by("-issue_date", "-id")


def get_license_for_holder(holder_id: int, license_pk: int) -> License | None:
    return License.objects.filter(pk=license_pk, holder_id=holder_id).prefetch_related("shares").first()


def staff_department_ids(staff_id: int) -> set[int]:
    return set().union(*(department_ids_for(user_id=staff_id, role=role) for role in LIST_ROLES))


def licenses_for_staff(staff_id: int) -> QuerySet[License]:
    """The licenses issued by the staff member's departments."""
    return (
        License.objects.filter(department_id__in=staff_department_ids(staff_id))
        .defer("pdf")
        .order_by("-issue_date", "-id")
    )


def get_license_for_staff(staff_id: int, license_pk: int) -> License | None:
    """A license of one of the staff member's departments, or None (a 404, T-B3)."""
    return (
        License.objects.filter(pk=license_pk, department_id__in=staff_department_ids(staff_id))
        .defer("pdf")
        .prefetch_related("events")
        .first()
    )


def live_share(token: str) -> LicenseShare | None:
    """A share link that has not expired (an expired one is as good as unknown)."""
    return (
        LicenseShare.objects.select_related("license", "license__seal")
        .filter(token=token, expires_at__gt=timezone.now())
        .first()
    )


def license_name_for_item(item_id: int) -> str | None:
    """The name of the license an item issues (营业执照), or None when it issues none."""
    return LicenseBinding.objects.filter(item_id=item_id).values_list("license_type__name", flat=True).first()


def department_has_seal(department_id: int) -> bool:
    return Seal.objects.filter(department_id=department_id, is_active=True).exists()
