"""Seal keys: made by the signer, stored only encrypted, never shown (THREATS T-F5)."""

from cryptography.fernet import Fernet
from django.db import connection
from django.urls import reverse

from tongban.core.signing import get_signer
from tongban.licenses import services
from tongban.licenses.models import Seal


def test_T_F5_the_private_key_is_encrypted_at_rest(department, settings):
    key_id = services.create_seal(department_id=department.pk)

    with connection.cursor() as cursor:
        cursor.execute("SELECT private_key_ref FROM licenses_seal WHERE key_id = %s", [key_id])
        [(stored,)] = cursor.fetchall()

    assert "PRIVATE KEY" not in stored
    assert stored.startswith("gAAAA")  # a Fernet token
    plain = Fernet(settings.TONGBAN_SIGNING_KEY_ENCRYPTION_KEY.encode()).decrypt(stored.encode())
    assert plain.startswith(b"0")  # DER of the PKCS#8 key, readable only with the environment key
    assert get_signer().sign(private_key_ref=stored, data=b"x")


def test_T_F5_the_admin_never_shows_the_private_key(admin_client, department):
    services.create_seal(department_id=department.pk)
    seal = Seal.objects.get()

    page = admin_client.get(reverse("admin:licenses_seal_change", args=[seal.pk]))

    assert page.status_code == 200
    assert seal.public_key_pem.splitlines()[1] in page.content.decode()
    assert seal.private_key_ref not in page.content.decode()


def test_a_new_seal_retires_the_old_one_and_keeps_it_trusted(department):
    first = services.create_seal(department_id=department.pk)
    second = services.create_seal(department_id=department.pk)

    assert services.ensure_seal(department_id=department.pk) == second
    assert list(Seal.objects.order_by("id").values_list("key_id", "is_active")) == [
        (first, False),
        (second, True),
    ]
