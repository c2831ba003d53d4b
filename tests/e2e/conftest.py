"""Browser journeys: Playwright driving Debian's chromium (never a downloaded browser)."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls in fixtures are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN"}


@pytest.fixture
def foreign_requests(page, live_server):
    """Every request the page makes to a host other than the server's own (UX.md: none allowed)."""
    seen: list[str] = []
    page.on(
        "request",
        lambda r: (
            None if r.url.startswith(live_server.url) or r.url.startswith("data:") else seen.append(r.url)
        ),
    )
    return seen


def axe_violations(page) -> list[dict]:
    page.add_script_tag(url="/static/vendor/axe.min.js")
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]


def has_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
