"""The workbench navigation: entries per role, counts, the current page, entries of pages not merged
yet, and what it costs in queries."""

import pytest
from conftest import make_staff
from django.urls import NoReverseMatch, reverse

from tongban.workbench import nav
from tongban.workbench.nav import NavEntry, build_workbench
from tongban.workbench.tests.conftest import accept_task, staff_request
from tongban.workflow import services as workflow_services

EVERYONE = [
    "inbox",
    "done",
    "start",
    "my_requests",
    "document_new",
    "documents",
    "copies",
    "circulation",
    "briefing_reading",
    "notices",
    "meetings",
    "calendar",
    "directory",
]
PERSONAL = ["phrases", "out_of_office"]


def _resolves(name: str) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


# 系统管理 (organizations:staff_list) is another branch's page: listed once it is merged.
ACCOUNTS = ["staff_accounts"] if _resolves("organizations:staff_list") else []


@pytest.mark.parametrize(
    ("role", "entries"),
    [
        ("clerk", [*EVERYONE, "appointments", "queue", "licenses", *PERSONAL]),
        ("reviewer", [*EVERYONE, "licenses", *PERSONAL]),
        ("approver", [*EVERYONE, "licenses", *PERSONAL]),
        ("catalog_editor", [*EVERYONE, "catalog", "search_terms", "bundles", *PERSONAL]),
        ("supervisor", [*EVERYONE, "supervision", *PERSONAL]),
        ("city_supervisor", [*EVERYONE, "supervision", *PERSONAL]),
        (
            "department_admin",
            [
                *EVERYONE,
                "appointments",
                "queue",
                "licenses",
                "monitor",
                "definitions",
                "request_forms",
                "designer",
                "sharing",
                "sharing_usage",
                "notices_manage",
                "document_settings",
                *ACCOUNTS,
                "step_kinds",
                "readiness",
                *PERSONAL,
            ],
        ),
        (
            "city_admin",
            [
                *EVERYONE,
                "definitions",
                "designer",
                "notices_manage",
                "sensitive_words",
                "document_settings",
                "departments",
                *ACCOUNTS,
                "roles",
                "readiness",
                *PERSONAL,
            ],
        ),
        (
            "region_admin",
            [
                *EVERYONE,
                "definitions",
                "designer",
                "departments",
                *ACCOUNTS,
                *PERSONAL,
            ],
        ),
        ("archivist", [*EVERYONE, "archives", *PERSONAL]),
        ("audit_admin", [*EVERYONE, "audit_log", *PERSONAL]),
        ("security_admin", [*EVERYONE, "role_grants", "sso_clients", *PERSONAL]),
        ("consultation_publisher", [*EVERYONE, "consultations_manage", *PERSONAL]),
        ("consultation_moderator", [*EVERYONE, "consultations_moderation", *PERSONAL]),
        ("disclosure_editor", [*EVERYONE, "disclosure", *PERSONAL]),
        ("disclosure_secrecy_reviewer", [*EVERYONE, "disclosure", *PERSONAL]),
        ("disclosure_approver", [*EVERYONE, "disclosure", "disclosure_guide", *PERSONAL]),
        ("disclosure_admin", [*EVERYONE, "disclosure", "disclosure_report", "disclosure_guide", *PERSONAL]),
        ("department_head", [*EVERYONE, "tracking", *PERSONAL]),
        ("disclosure_request_handler", [*EVERYONE, "disclosure_requests", *PERSONAL]),
        (
            "disclosure_request_approver",
            [*EVERYONE, "disclosure_requests", "redaction_rules", "disclosure_reports", *PERSONAL],
        ),
        ("hotline_dispatcher", [*EVERYONE, "hotline_dispatch", "hotline_statistics", *PERSONAL]),
        ("hotline_handler", [*EVERYONE, "hotline_department", *PERSONAL]),
        ("hotline_agent", [*EVERYONE, "hotline_call", *PERSONAL]),
        (
            "document_clerk",
            [
                "inbox",
                "done",
                "start",
                "my_requests",
                "document_new",
                "documents",
                "copies",
                "documents_pending",
                "received",
                "circulation",
                "briefing_reading",
                "notices",
                "meetings",
                "calendar",
                "directory",
                "tracking",
                *PERSONAL,
            ],
        ),
        (
            "document_signer",
            [
                "inbox",
                "done",
                "start",
                "my_requests",
                "document_new",
                "documents",
                "copies",
                "received",
                "circulation",
                "briefing_reading",
                "notices",
                "meetings",
                "calendar",
                "directory",
                "tracking",
                *PERSONAL,
            ],
        ),
    ],
)
def test_each_role_sees_the_entries_of_the_pages_it_may_open(department, role, entries):
    user = make_staff("someone", department, role=role)
    shell = build_workbench(staff_request(user))
    assert [link.key for link in shell.links] == entries


def test_a_staff_member_without_a_role_sees_the_pages_of_everyone(db):
    from tongban.accounts.tests.factories import StaffFactory

    shell = build_workbench(staff_request(StaffFactory()))
    assert [link.key for link in shell.links] == [*EVERYONE, *PERSONAL]
    assert shell.department_names == ()


def test_counts_are_the_inbox_and_the_unread_copies(department, clerk, submit):
    first, second = submit(2)
    colleague = make_staff("market_clerk_2", department, role="clerk")
    workflow_services.copy_case(task_id=accept_task(first).id, user_id=colleague.id, to_user_ids=[clerk.id])
    shell = build_workbench(staff_request(clerk))
    counts = {link.key: (link.count, link.count_text) for link in shell.links if link.count is not None}
    assert counts == {
        "inbox": (2, "2件"),
        "copies": (1, "未读1"),
        "circulation": (0, "0件"),
        "meetings": (0, "待回复0"),
        "briefing_reading": (0, "0期"),
        "notices": (0, "待阅知0"),
    }
    workflow_services.mark_copy_read(subject=f"application:{first}", user_id=clerk.id)
    workflow_services.claim_task(task_id=accept_task(second).id, user_id=colleague.id)
    shell = build_workbench(staff_request(clerk))
    counts = {link.key: (link.count, link.count_text) for link in shell.links if link.count is not None}
    assert counts == {
        "inbox": (1, "1件"),
        "copies": (0, "未读0"),
        "circulation": (0, "0件"),
        "meetings": (0, "待回复0"),
        "briefing_reading": (0, "0期"),
        "notices": (0, "待阅知0"),
    }


def test_a_count_past_the_cap_is_shown_as_cap_plus(department, clerk, submit, monkeypatch):
    """Counts stop at COUNT_SHOWN_UP_TO + 1 (a clerk with 100,000 waiting tasks costs what one with
    100 does) and show as "99+"; here with a cap of 2."""
    monkeypatch.setattr(nav, "COUNT_SHOWN_UP_TO", 2)
    submit(2)
    counts = {link.key: link.count_text for link in build_workbench(staff_request(clerk)).links}
    assert counts["inbox"] == "2件"
    submit(2)
    shell = build_workbench(staff_request(clerk))
    assert {link.key: (link.count, link.count_text) for link in shell.links}["inbox"] == (3, "2+件")


def test_the_header_names_the_user_and_the_departments(department, other_department):
    user = make_staff("two_hats", department, role="clerk")
    from tongban.organizations.services import assign_role

    assign_role(user_id=user.id, department_id=other_department.pk, role="reviewer")
    assign_role(user_id=user.id, department_id=department.pk, role="reviewer")
    shell = build_workbench(staff_request(user))
    assert shell.user_name == "two_hats"
    assert sorted(shell.department_names) == sorted([department.short_name, other_department.short_name])
    assert len(shell.assignments) == 3


@pytest.mark.parametrize(
    ("path", "query", "current"),
    [
        ("/staff/tasks/", {}, {"inbox": "page"}),
        ("/staff/tasks/", {"tab": "done"}, {"done": "page"}),
        ("/staff/tasks/9e3c0f4e-0000-4000-8000-000000000000/", {}, {"inbox": "true"}),
        ("/staff/copies/", {}, {"copies": "page"}),
        ("/staff/", {}, {}),
    ],
)
def test_the_current_page_is_marked_once(clerk, path, query, current):
    shell = build_workbench(staff_request(clerk, path, **query))
    assert {link.key: link.current for link in shell.links if link.current} == current


def test_an_entry_whose_page_does_not_exist_is_left_out_or_falls_back(monkeypatch, clerk):
    monkeypatch.setattr(
        nav,
        "ENTRIES",
        (
            NavEntry("future", "未来的页面", ("nowhere:page",)),
            NavEntry("fallback", "替代页面", ("nowhere:page", "workflow:phrases")),
            NavEntry("not_mine", "监察", ("supervision:board",), roles=frozenset({"supervisor"})),
        ),
    )
    shell = build_workbench(staff_request(clerk))
    assert [(link.key, link.url) for link in shell.links] == [("fallback", reverse("workflow:phrases"))]


def test_nobody_but_a_verified_staff_session_gets_a_workbench(clerk, db):
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from tongban.accounts.services import ensure_user

    unverified = staff_request(clerk)
    unverified.session = {}
    assert build_workbench(unverified) is None
    citizen = ensure_user(username="13800000008", full_name="王五", kind="citizen", password="x-Passw0rd-1")
    assert build_workbench(staff_request(citizen)) is None
    anonymous = RequestFactory().get("/staff/")
    anonymous.user = AnonymousUser()
    anonymous.session = {}
    assert build_workbench(anonymous) is None


# The navigation is on every staff page: its queries are pinned. Roles: 1. 待办: the agents'
# principals and the roles (2). 电子监察: the supervision scope (2), late steps (1), its own COUNT (1).
# Then one statement counts the rows of every entry (待办, 抄送我的, 待阅, 信息待阅, 通知公告, 会议 …).
@pytest.mark.parametrize(("role", "queries"), [("clerk", 4), ("reviewer", 4), ("supervisor", 8)])
def test_the_navigation_costs_a_few_queries_whatever_the_workload(
    department, submit, role, queries, django_assert_num_queries
):
    user = make_staff("someone", department, role=role)
    for cases in (1, 3):
        submit(cases)
        request = staff_request(user)
        with django_assert_num_queries(queries):
            build_workbench(request)
