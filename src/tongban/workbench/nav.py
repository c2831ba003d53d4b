"""The workbench navigation (工作台导航): one entry per staff page, shown to the roles that may open it.

Adding a page is one line in ``ENTRIES``. An entry whose URL name does not resolve (a page not merged
yet) is left out, so an entry can come before its page. ``count`` is a cheap function of the user id
that names the rows whose number the entry shows (``core.counting``); it runs only for the entries the
user sees, once per request, and the rows of every entry are counted in one statement.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from django.http import HttpRequest, QueryDict
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tongban.accounts.access import staff_session_verified
from tongban.appointments.selectors import HALL_ROLES
from tongban.archives.roles import ARCHIVIST
from tongban.briefings.roles import BRIEFING_EDITOR, BRIEFING_REPORTER
from tongban.briefings.selectors import pending_rows as briefings_pending_rows
from tongban.briefings.selectors import unread_issue_rows
from tongban.catalog.services import CATALOG_EDITOR
from tongban.consultations.roles import CONSULTATION_MODERATOR, CONSULTATION_PUBLISHER
from tongban.consultations.selectors import held_rows as consultation_held_rows
from tongban.core.counting import CountSource, count_all
from tongban.disclosure.roles import ALL_ROLES as DISCLOSURE_ROLES
from tongban.disclosure.roles import DISCLOSURE_ADMIN, DISCLOSURE_APPROVER
from tongban.disclosure.selectors import attention_rows as disclosure_attention_rows
from tongban.disclosure_requests.roles import REQUEST_APPROVER, REQUEST_ROLES
from tongban.disclosure_requests.selectors import open_rows as disclosure_requests_open_rows
from tongban.documents.exchange_selectors import pending_rows as documents_pending_rows
from tongban.documents.incoming_selectors import unread_circulation_rows
from tongban.documents.roles import DOCUMENT_CLERK, DOCUMENT_REVIEWER, DOCUMENT_SIGNER
from tongban.hotline.roles import HOTLINE_AGENT, HOTLINE_DISPATCHER, HOTLINE_HANDLER
from tongban.hotline.selectors import department_waiting_rows as hotline_department_rows
from tongban.hotline.selectors import dispatcher_waiting_rows as hotline_dispatcher_rows
from tongban.licenses.selectors import LIST_ROLES
from tongban.meetings.roles import MEETING_ADMIN
from tongban.meetings.selectors import unanswered_rows as meetings_unanswered_rows
from tongban.notices.roles import NOTICE_PUBLISHER
from tongban.notices.selectors import unacknowledged_rows as unacknowledged_notice_rows
from tongban.organizations.selectors import (
    AUDIT_ADMIN,
    CITY_ADMIN,
    DEPARTMENT_ADMIN,
    REGION_ADMIN,
    SECURITY_ADMIN,
    AssignmentRef,
    assignments_of,
)
from tongban.sharing.selectors import STEWARD_ROLE
from tongban.supervision.selectors import CITY_SUPERVISOR, SUPERVISOR, red_card_count
from tongban.tracking.roles import TRACKING_OFFICER, TRACKING_ROLES
from tongban.tracking.selectors import awaiting_rows as tracking_awaiting_rows
from tongban.workflow.selectors import DESIGNER_ROLE, inbox_rows, unread_copy_rows
from tongban.workflow.services import MONITOR_ROLE


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: str | Promise
    url_names: tuple[str, ...]  # the first that resolves is used; none: the entry is hidden
    roles: frozenset[str] | None = None  # None: every staff member
    query: str = ""
    # count(user_id, limit): what to count, no further than ``limit`` (rows cut at the limit: a clerk
    # with 100,000 waiting tasks costs what one with 100 does), or the number itself. Every entry's
    # rows are counted in one statement (``core.counting.count_all``).
    count: Callable[[int, int], CountSource] | None = None
    count_format: str | Promise = "%(count)s"  # the count as shown: beside the label when not 0


# A navigation count shows up to this number, then "99+".
COUNT_SHOWN_UP_TO = 99


def _shown(count: int) -> str:
    return f"{COUNT_SHOWN_UP_TO}+" if count > COUNT_SHOWN_UP_TO else str(count)


def _roles(*roles: str) -> frozenset[str]:
    return frozenset(roles)


ADMINISTRATORS = _roles(DEPARTMENT_ADMIN, CITY_ADMIN)
# Region-scoped administration (issue 20): the city's and a county's 系统管理员 keep the departments,
# catalog items and processes of their regions as well.
REGION_ADMINISTRATORS = _roles(CITY_ADMIN, REGION_ADMIN)

ENTRIES: tuple[NavEntry, ...] = (
    NavEntry(
        "inbox", _("待办"), ("applications:staff_inbox",), count=inbox_rows, count_format=_("%(count)s件")
    ),
    NavEntry("done", _("已办"), ("applications:staff_inbox",), query="tab=done"),
    NavEntry("start", _("发起"), ("office:start",)),
    NavEntry("my_requests", _("我的申请"), ("office:requests",)),
    NavEntry("document_new", _("拟稿"), ("documents:new",)),
    NavEntry("documents", _("发文"), ("documents:list",)),
    NavEntry(
        "copies",
        _("抄送我的"),
        ("applications:staff_copies",),
        count=unread_copy_rows,
        count_format=_("未读%(count)s"),
    ),
    NavEntry(
        "documents_pending",
        _("待签收"),
        ("documents:pending",),
        roles=_roles(DOCUMENT_CLERK),
        count=documents_pending_rows,
        count_format=_("%(count)s件"),
    ),
    NavEntry(
        "received",
        _("收文"),
        ("documents:received_list",),
        roles=_roles(DOCUMENT_CLERK, DOCUMENT_REVIEWER, DOCUMENT_SIGNER),
    ),
    NavEntry(
        "circulation",
        _("待阅"),
        ("documents:circulation",),
        count=unread_circulation_rows,
        count_format=_("%(count)s件"),
    ),
    NavEntry(
        "briefing_reading",
        _("信息待阅"),
        ("briefings:reading",),
        count=unread_issue_rows,
        count_format=_("%(count)s期"),
    ),
    NavEntry(
        "notices",
        _("通知公告"),
        ("notices:list",),
        count=unacknowledged_notice_rows,
        count_format=_("待阅知%(count)s"),
    ),
    NavEntry(
        "meetings",
        _("会议"),
        ("meetings:list",),
        count=meetings_unanswered_rows,
        count_format=_("待回复%(count)s"),
    ),
    NavEntry("calendar", _("我的日程"), ("meetings:calendar",)),
    NavEntry("directory", _("通讯录"), ("organizations:directory",)),
    NavEntry(
        "tracking",
        _("督办"),
        ("tracking:board",),
        roles=frozenset(TRACKING_ROLES),
        count=tracking_awaiting_rows,
        count_format=_("待办%(count)s"),
    ),
    NavEntry("tracking_new", _("立项督办"), ("tracking:new",), roles=_roles(TRACKING_OFFICER)),
    NavEntry(
        "briefings",
        _("信息报送"),
        ("briefings:list",),
        roles=_roles(BRIEFING_REPORTER, BRIEFING_EDITOR),
        count=briefings_pending_rows,
        count_format=_("待审%(count)s"),
    ),
    NavEntry("briefing_issues", _("信息刊物"), ("briefings:issues",), roles=_roles(BRIEFING_EDITOR)),
    NavEntry(
        "briefing_ranking",
        _("信息考核"),
        ("briefings:ranking",),
        roles=_roles(BRIEFING_REPORTER, BRIEFING_EDITOR),
    ),
    NavEntry("briefing_scoring", _("信息计分规则"), ("briefings:scoring",), roles=_roles(BRIEFING_EDITOR)),
    NavEntry("appointments", _("当日预约"), ("appointments:staff_queue",), roles=frozenset(HALL_ROLES)),
    NavEntry("queue", _("窗口叫号"), ("queueing:windows",), roles=frozenset(HALL_ROLES)),
    NavEntry("audit_log", _("审计日志"), ("workbench:audit_log",), roles=_roles(AUDIT_ADMIN)),
    NavEntry("role_grants", _("岗位授权"), ("organizations:staff_list",), roles=_roles(SECURITY_ADMIN)),
    NavEntry("sso_clients", _("接入系统"), ("identity:relying_parties",), roles=_roles(SECURITY_ADMIN)),
    NavEntry(
        "disclosure_requests",
        _("依申请公开"),
        ("disclosure_requests:staff_queue",),
        roles=frozenset(REQUEST_ROLES),
        count=disclosure_requests_open_rows,
        count_format=_("办理中%(count)s"),
    ),
    NavEntry(
        "redaction_rules", _("遮蔽规则"), ("disclosure_requests:rules",), roles=_roles(REQUEST_APPROVER)
    ),
    NavEntry(
        "disclosure_reports",
        _("公开年报"),
        ("disclosure_requests:staff_reports",),
        roles=_roles(REQUEST_APPROVER),
    ),
    NavEntry(
        "hotline_dispatch",
        _("12345派单"),
        ("hotline:queue",),
        roles=_roles(HOTLINE_DISPATCHER),
        count=hotline_dispatcher_rows,
        count_format=_("待办%(count)s"),
    ),
    NavEntry(
        "hotline_department",
        _("12345工单"),
        ("hotline:department",),
        roles=_roles(HOTLINE_HANDLER),
        count=hotline_department_rows,
        count_format=_("待办%(count)s"),
    ),
    NavEntry("hotline_call", _("来电录入"), ("hotline:call",), roles=_roles(HOTLINE_AGENT)),
    NavEntry("hotline_statistics", _("12345统计"), ("hotline:statistics",), roles=_roles(HOTLINE_DISPATCHER)),
    NavEntry(
        "disclosure",
        _("主动公开"),
        ("disclosure:staff_list",),
        roles=frozenset(DISCLOSURE_ROLES),
        count=disclosure_attention_rows,
        count_format=_("临期%(count)s"),
    ),
    NavEntry("disclosure_report", _("政务公开通报"), ("disclosure:report",), roles=_roles(DISCLOSURE_ADMIN)),
    NavEntry(
        "disclosure_guide",
        _("公开指南"),
        ("disclosure:guide_edit",),
        roles=_roles(DISCLOSURE_ADMIN, DISCLOSURE_APPROVER),
    ),
    NavEntry("licenses", _("证照"), ("licenses:staff_list",), roles=frozenset(LIST_ROLES)),
    NavEntry(
        "supervision",
        _("电子监察"),
        ("supervision:board",),
        roles=_roles(SUPERVISOR, CITY_SUPERVISOR),
        count=red_card_count,
        count_format=_("红牌%(count)s"),
    ),
    NavEntry("monitor", _("流程监控"), ("workflow:monitor",), roles=_roles(MONITOR_ROLE)),
    NavEntry(
        "definitions",
        _("流程定义"),
        ("workflow:definitions",),
        roles=_roles(DESIGNER_ROLE, *REGION_ADMINISTRATORS),
    ),
    NavEntry("request_forms", _("内部事项表单"), ("office:forms",), roles=_roles(DESIGNER_ROLE)),
    NavEntry(
        "designer",
        _("流程设计"),
        ("workflow:designer_new",),
        roles=_roles(DESIGNER_ROLE, *REGION_ADMINISTRATORS),
    ),
    # Catalog editing is still the admin's until the workbench has its own page (issue #13), and the admin
    # site admits 事项管理员 only: a city or county administrator edits items by also holding that role.
    NavEntry(
        "catalog",
        _("事项管理"),
        ("catalog:staff_items", "admin:catalog_serviceitemversion_changelist"),
        roles=_roles(CATALOG_EDITOR),
    ),
    NavEntry("search_terms", _("搜索词管理"), ("catalog:staff_search_terms",), roles=_roles(CATALOG_EDITOR)),
    NavEntry("bundles", _("一件事管理"), ("bundles:staff_list",), roles=_roles(CATALOG_EDITOR)),
    NavEntry("sharing", _("数据共享申请"), ("sharing:staff_requests",), roles=_roles(STEWARD_ROLE)),
    NavEntry("sharing_usage", _("数据使用记录"), ("sharing:staff_usage",), roles=_roles(STEWARD_ROLE)),
    NavEntry("archives", _("档案"), ("archives:records",), roles=_roles(ARCHIVIST)),
    NavEntry("meeting_rooms", _("会议室管理"), ("meetings:manage_rooms",), roles=_roles(MEETING_ADMIN)),
    NavEntry(
        "notices_manage", _("通知管理"), ("notices:manage",), roles=_roles(NOTICE_PUBLISHER, *ADMINISTRATORS)
    ),
    NavEntry(
        "consultations_manage", _("意见征集"), ("consultations:manage",), roles=_roles(CONSULTATION_PUBLISHER)
    ),
    NavEntry(
        "consultations_moderation",
        _("留言审核"),
        ("consultations:moderation",),
        roles=_roles(CONSULTATION_MODERATOR),
        count=consultation_held_rows,
        count_format=_("待审%(count)s"),
    ),
    NavEntry("sensitive_words", _("敏感词库"), ("moderation:words",), roles=_roles(CITY_ADMIN)),
    NavEntry("document_settings", _("公文设置"), ("documents:issuing_bodies",), roles=ADMINISTRATORS),
    NavEntry("departments", _("部门管理"), ("organizations:departments",), roles=REGION_ADMINISTRATORS),
    NavEntry(
        "staff_accounts", _("系统管理"), ("organizations:staff_list",), roles=ADMINISTRATORS | {REGION_ADMIN}
    ),
    NavEntry("roles", _("岗位管理"), ("organizations:roles",), roles=_roles(CITY_ADMIN)),
    NavEntry("step_kinds", _("环节类型"), ("workflow:step_kinds",), roles=_roles(MONITOR_ROLE)),
    NavEntry("readiness", _("岗位配置检查"), ("workbench:readiness",), roles=ADMINISTRATORS),
    NavEntry("phrases", _("常用语和签名"), ("workflow:phrases",)),
    NavEntry("out_of_office", _("代理设置"), ("workflow:out_of_office",)),
)


@dataclass(frozen=True)
class NavLink:
    key: str
    label: str
    url: str
    count: int | None
    count_text: str
    current: str  # "page" (this page), "true" (a page under it) or ""


@dataclass(frozen=True)
class Workbench:
    """What the staff shell shows: who is logged in, and their navigation with its counts."""

    user_id: int
    user_name: str
    department_names: tuple[str, ...]
    assignments: tuple[AssignmentRef, ...]
    links: tuple[NavLink, ...]
    is_superuser: bool


def _url(entry: NavEntry) -> str | None:
    for name in entry.url_names:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        return f"{url}?{entry.query}" if entry.query else url
    return None


def _match(url: str, request: HttpRequest) -> tuple[int, int] | None:
    """How well ``url`` names the current page: (2, n) the page itself with n query parameters,
    (1, length) a page under it, None neither."""
    path, _sep, query = url.partition("?")
    params = QueryDict(query)
    if any(request.GET.get(key) != value for key, value in params.items()):
        return None
    if request.path == path:
        return (2, len(params))
    if not params and request.path.startswith(path):
        return (1, len(path))
    return None


def build_workbench(request: HttpRequest) -> Workbench | None:
    """The shell of a verified staff session, None for anyone else. A query for the user's roles, the
    role lookups some counts need, and one statement for every count shown (pinned in tests/test_nav.py)."""
    user = request.user
    if getattr(user, "kind", "") != "staff" or not staff_session_verified(request):
        return None
    user_id = cast(int, user.pk)
    assignments = tuple(assignments_of(user_id))
    roles = {a.role for a in assignments}
    visible = [
        (entry, url)
        for entry in ENTRIES
        if (entry.roles is None or entry.roles & roles) and (url := _url(entry)) is not None
    ]
    matches = [_match(url, request) for _entry, url in visible]
    best = max((m for m in matches if m is not None), default=None)
    limit = COUNT_SHOWN_UP_TO + 1
    sources = [entry.count(user_id, limit) for entry, _url in visible if entry.count]
    counted = iter(count_all(sources))
    links = []
    for (entry, url), match in zip(visible, matches, strict=True):
        count = min(next(counted), limit) if entry.count else None
        links.append(
            NavLink(
                key=entry.key,
                label=str(entry.label),
                url=url,
                count=count,
                count_text=str(entry.count_format) % {"count": _shown(count)} if count is not None else "",
                current="" if match is None or match != best else ("page" if match[0] == 2 else "true"),
            )
        )
    return Workbench(
        user_id=user_id,
        user_name=str(user),
        department_names=tuple(dict.fromkeys(a.department_name for a in assignments)),
        assignments=assignments,
        links=tuple(links),
        is_superuser=user.is_superuser,
    )


def workbench_for(request: HttpRequest) -> Workbench | None:
    """``build_workbench`` once per request (the shell and the view may both ask)."""
    if not hasattr(request, "_workbench"):
        request._workbench = build_workbench(request)  # type: ignore[attr-defined]
    return request._workbench  # type: ignore[attr-defined]
