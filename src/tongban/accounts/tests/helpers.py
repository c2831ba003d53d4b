"""Helpers for tests of accounts pages and of other apps' staff pages."""

import re

from django.contrib.auth import get_user_model

from tongban.accounts.access import STAFF_OTP_VERIFIED


def login_staff(client, user) -> None:
    """Log the staff ``user`` (a User or a UserRef) into ``client`` with the second factor passed, as the
    staff login leaves a session. For tests of staff pages; the login itself is tested in accounts."""
    client.force_login(get_user_model().objects.get(pk=user.id))
    session = client.session
    session[STAFF_OTP_VERIFIED] = user.id
    session.save()


def summary_errors(response) -> list[str]:
    """The messages of the page's error summary, in order."""
    return re.findall(r'<li><a href="#id_\w+">([^<]+)</a></li>', response.content.decode())


def without_csrf_token(body: bytes) -> bytes:
    # The CSRF token is masked afresh in every response; it says nothing about the account.
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", body)
