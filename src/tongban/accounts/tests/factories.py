"""Accounts as registration leaves them. Personas from THREATS.md: citizens A and B, enterprise E, staff a1."""

import factory
from conftest import PASSWORD

from tongban.accounts.models import User
from tongban.accounts.rules import mask_resident_id
from tongban.accounts.services import resident_id_digest
from tongban.core.identifiers import make_uscc

CITIZEN_A_ID = "110101199003074514"
CITIZEN_B_ID = "441900198506151235"
ENTERPRISE_USCC = make_uscc(registry="9", kind="1", region_code="990100", organization_body="MA5D1234")


class CitizenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    class Params:
        resident_id = CITIZEN_A_ID

    kind = User.Kind.CITIZEN
    username = factory.Sequence(lambda n: f"139{n:08d}")
    phone = factory.SelfAttribute("username")
    full_name = "张三"
    password = factory.django.Password(PASSWORD)
    resident_id_hmac = factory.LazyAttribute(lambda o: resident_id_digest(o.resident_id))
    resident_id_masked = factory.LazyAttribute(lambda o: mask_resident_id(o.resident_id))


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    kind = User.Kind.ENTERPRISE
    username = factory.Sequence(lambda n: f"137{n:08d}")
    phone = factory.SelfAttribute("username")
    full_name = "云州市锦江区示例科技有限公司"
    uscc = ENTERPRISE_USCC
    legal_representative = "李四"
    password = factory.django.Password(PASSWORD)


class StaffFactory(factory.django.DjangoModelFactory):
    """A staff account as ``ensure_user`` creates it, without a department or an authenticator."""

    class Meta:
        model = User

    kind = User.Kind.STAFF
    is_staff = True
    username = factory.Sequence(lambda n: f"staff_a{n + 1}")
    full_name = "王五"
    password = factory.django.Password(PASSWORD)
