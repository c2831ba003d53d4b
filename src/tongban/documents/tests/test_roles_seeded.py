import pytest

from tongban.documents.roles import SEEDED
from tongban.organizations.selectors import role_choices

pytestmark = pytest.mark.django_db


def test_every_document_role_is_a_builtin_role_after_migrating():
    choices = dict(role_choices())
    for code, name, _description in SEEDED:
        assert choices[code] == name
