"""The panels of the workbench home (工作台首页), where a civil servant starts the day: 待办 by kind,
待阅, the latest notices, and whatever other apps add (督办 due, today's meetings …).

Adding a panel is one entry in ``PANELS``: its title, its template, and a function of the user
returning the template's context. Like ``nav.ENTRIES``, a panel whose URL names none resolve (its app
not merged yet) is left out, and one with ``roles`` shows only to holders of one of them. A panel's
function should cost a query or two; the home's total is pinned in tests/test_home.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tongban.meetings.selectors import days_of
from tongban.notices.selectors import latest_notices_for
from tongban.tracking.roles import TRACKING_ROLES
from tongban.tracking.selectors import due_soon
from tongban.workbench.nav import COUNT_SHOWN_UP_TO, Workbench
from tongban.workflow.selectors import inbox_counts_by_kind

LATEST_NOTICES = 5
TRACKING_DUE_SHOWN = 5


@dataclass(frozen=True)
class PanelRequest:
    """What a panel's function gets: the user, and the navigation's counts by entry key (already
    counted for the shell: a panel reuses them instead of counting again)."""

    user_id: int
    roles: frozenset[str]
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class HomePanel:
    key: str
    title: str | Promise
    template: str
    context: Callable[[PanelRequest], dict[str, object]]
    url_names: tuple[str, ...] = ()  # shown only when one of them resolves (none: always)
    roles: frozenset[str] | None = None  # None: every staff member


@dataclass(frozen=True)
class ShownPanel:
    key: str
    title: str
    template: str
    context: dict[str, object]


@dataclass(frozen=True)
class CountLink:
    label: str
    count: int
    url: str

    @property
    def shown(self) -> str:
        return f"{COUNT_SHOWN_UP_TO}+" if self.count > COUNT_SHOWN_UP_TO else str(self.count)


def _url(name: str, query: str = "") -> str:
    try:
        url = reverse(name)
    except NoReverseMatch:
        return ""
    return f"{url}?{query}" if query else url


# 待办 by the kind of what waits (the subject's prefix, workflow.selectors.inbox_counts_by_kind).
TODO_KINDS = (
    ("application", _("办件"), "family=application"),
    ("request", _("内部事项"), "family=internal"),
    ("document", _("发文"), "family=document"),
    ("received", _("收文"), "family=document"),
)


def todo(panel: PanelRequest) -> dict[str, object]:
    counts = inbox_counts_by_kind(panel.user_id, COUNT_SHOWN_UP_TO + 1)
    known = {kind for kind, _label, _query in TODO_KINDS}
    links = [
        CountLink(label=str(label), count=counts.get(kind, 0), url=_url("applications:staff_inbox", query))
        for kind, label, query in TODO_KINDS
    ]
    other = sum(n for kind, n in counts.items() if kind not in known)
    if other:
        links.append(CountLink(label=str(_("其他")), count=other, url=_url("applications:staff_inbox")))
    return {"links": links, "total": sum(counts.values()), "inbox_url": _url("applications:staff_inbox")}


def to_read(panel: PanelRequest) -> dict[str, object]:
    links = []
    if "circulation" in panel.counts:
        links.append(
            CountLink(
                label=str(_("传阅的收文")),
                count=panel.counts["circulation"],
                url=_url("documents:circulation"),
            )
        )
    if "briefing_reading" in panel.counts:
        links.append(
            CountLink(
                label=str(_("待阅的信息刊物")),
                count=panel.counts["briefing_reading"],
                url=_url("briefings:reading"),
            )
        )
    if "notices" in panel.counts:
        links.append(
            CountLink(label=str(_("待阅知的通知")), count=panel.counts["notices"], url=_url("notices:list"))
        )
    return {"links": links}


def notices(panel: PanelRequest) -> dict[str, object]:
    return {"rows": latest_notices_for(panel.user_id, limit=LATEST_NOTICES), "list_url": _url("notices:list")}


def meetings_today(panel: PanelRequest) -> dict[str, object]:
    [today] = days_of(panel.user_id, timezone.localdate(), 1)
    return {"meetings": today.meetings, "calendar_url": _url("meetings:calendar")}


def tracking_due(panel: PanelRequest) -> dict[str, object]:
    return {
        "rows": due_soon(panel.user_id, limit=TRACKING_DUE_SHOWN),
        "awaiting": panel.counts.get("tracking", 0),
        "board_url": _url("tracking:board"),
    }


PANELS: tuple[HomePanel, ...] = (
    HomePanel("todo", _("待办"), "workbench/panels/todo.html", todo, ("applications:staff_inbox",)),
    HomePanel("to_read", _("待阅"), "workbench/panels/to_read.html", to_read),
    HomePanel(
        "meetings_today",
        _("今日会议"),
        "workbench/panels/meetings_today.html",
        meetings_today,
        ("meetings:list",),
    ),
    HomePanel(
        "tracking_due",
        _("督办到期"),
        "workbench/panels/tracking_due.html",
        tracking_due,
        ("tracking:board",),
        roles=frozenset(TRACKING_ROLES),
    ),
    HomePanel("notices", _("通知公告"), "workbench/panels/notices.html", notices, ("notices:list",)),
)


def _resolves(names: tuple[str, ...]) -> bool:
    return not names or any(_url(name) for name in names)


def panels_for(shell: Workbench) -> list[ShownPanel]:
    """The panels ``shell``'s user sees, in order, each with its context."""
    request = PanelRequest(
        user_id=shell.user_id,
        roles=frozenset(a.role for a in shell.assignments),
        counts={link.key: link.count for link in shell.links if link.count is not None},
    )
    return [
        ShownPanel(
            key=panel.key, title=str(panel.title), template=panel.template, context=panel.context(request)
        )
        for panel in PANELS
        if (panel.roles is None or panel.roles & request.roles) and _resolves(panel.url_names)
    ]
