"""The staff shell's context: ``workbench``, evaluated only by a template that shows it (portal pages
run no query for it), and ``page_base``, the template that a page shared by staff and the public
(我的消息) extends."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from tongban.accounts.access import staff_session_verified
from tongban.workbench.nav import workbench_for


def workbench(request: HttpRequest) -> dict[str, object]:
    def page_base() -> str:  # templates call it when they use it
        staff = getattr(request.user, "kind", "") == "staff" and staff_session_verified(request)
        return "staff/base.html" if staff else "base.html"

    return {"workbench": SimpleLazyObject(lambda: workbench_for(request)), "page_base": page_base}
