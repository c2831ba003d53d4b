"""The process designer in a real browser (issue 14).

- Round-trip: every shipped definition opens in bpmn-js's Modeler and its saveXML loses nothing the
  platform reads (elements, flows, conditions, camunda:properties per element, lanes), and the
  exported model passes 检查; the MIWG reference models open too, and publishing one is refused with
  the reasons shown beside the elements.
- A process administrator draws a two-step process with an exclusive gateway and a condition,
  fixes the problem 检查 shows beside a step, and publishes it as an internal process
  (``draw_and_publish``, reusable by the journeys that start and handle it).
"""

from __future__ import annotations

import pytest
from conftest import make_staff
from django.conf import settings as django_settings
from django.test import Client
from lxml import etree
from playwright.sync_api import Page, expect

from tests.e2e.conftest import axe_violations
from tongban.accounts.tests.helpers import login_staff
from tongban.workflow import engine
from tongban.workflow.models import ProcessDefinition
from tongban.workflow.services import install_shipped_definitions
from tongban.workflow.services.definitions import SHIPPED_KEYS
from tongban.workflow.tests.helpers import MIWG, shipped
from tongban.workflow.validation import BPMN_NS, validate_definition

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def administrator(browser, live_server, department):
    """A process administrator's browser page (1280 px), logged in with the second factor."""
    user = make_staff("process_admin", department, role="department_admin")
    client = Client()
    login_staff(client, user)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000})
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if _is_error(message) else None)
    page.errors = errors  # type: ignore[attr-defined]
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error('CSP', e.violatedDirective,"
        " e.sourceFile, e.lineNumber, e.columnNumber, e.sample))"
    )
    yield page
    context.close()


def _is_error(message) -> bool:
    """A console error, except the style attributes bpmn-js and its panel write into HTML, which the
    CSP (style-src 'self', no 'unsafe-inline') blocks as meant: designer.css sets what they set; and
    the 400 answer to a refused 发布, which the browser logs."""
    text = message.text
    blocked_style = text.startswith("Applying inline style violates") or text.startswith("CSP style-src-attr")
    refused = text.endswith("status of 400 (Bad Request)")
    return message.type == "error" and not (blocked_style or refused)


def _open(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator(".designer[data-ready=true]")).to_be_visible(timeout=20000)


def _saved_xml(page: Page) -> bytes:
    return page.evaluate("window.tongbanDesigner.saveXML({format: true}).then(r => r.xml)").encode()


def _q(tag: str) -> str:
    return f"{{{BPMN_NS}}}{tag}"


def essence(data: bytes) -> dict:
    """What the platform reads from a model: its BPMN elements (kind, name), the flows with their
    conditions, the lanes and their members (from the XML), and the camunda:properties of every
    element as the engine parses them."""
    root = etree.fromstring(data)
    elements = {
        element.get("id"): (etree.QName(element).localname, element.get("name") or "")
        for element in root.iter()
        if isinstance(element.tag, str)
        and element.tag.startswith(f"{{{BPMN_NS}}}")
        and element.get("id")
        and etree.QName(element).localname not in ("definitions", "laneSet")
    }
    flows = {
        flow.get("id"): (
            flow.get("sourceRef"),
            flow.get("targetRef"),
            " ".join((flow.findtext(_q("conditionExpression")) or "").split()),
        )
        for flow in root.iter(_q("sequenceFlow"))
    }
    lanes = {
        lane.get("id"): (lane.get("name"), sorted(ref.text for ref in lane.iter(_q("flowNodeRef"))))
        for lane in root.iter(_q("lane"))
    }
    properties = engine.step_properties(validate_definition(data).spec)
    return {"elements": elements, "flows": flows, "lanes": lanes, "properties": properties}


@pytest.mark.parametrize("key", SHIPPED_KEYS)
def test_every_shipped_definition_survives_the_designer(administrator, live_server, key):
    install_shipped_definitions()
    definition = ProcessDefinition.objects.get(key=key)
    _open(administrator, f"{live_server.url}/staff/processes/{definition.pk}/design/")
    assert administrator.locator(".designer").get_attribute("data-import-warnings") == "0"
    exported = _saved_xml(administrator)
    assert essence(exported) == essence(shipped(key))
    assert essence(exported)["properties"]  # the comparison compared something

    administrator.get_by_role("button", name="检查").click()
    expect(administrator.get_by_role("status").filter(has_text="检查")).to_have_text("检查通过，可以发布。")
    assert administrator.errors == [], "\n".join(administrator.errors)  # type: ignore[attr-defined]


@pytest.mark.parametrize("model", sorted(p.stem for p in MIWG.glob("*.bpmn")))
def test_the_reference_models_open_in_the_designer(administrator, live_server, model):
    """The MIWG models imported view-only (issue 8) open; publishing one is refused with why."""
    from tongban.workflow.services import upload_definition
    from tongban.workflow.tests.helpers import miwg

    definition_id = upload_definition(
        key="miwg", data=miwg(model), uploaded_by_id=None, view_only_if_not_runnable=True  # type: ignore[arg-type]
    )
    refusals = ProcessDefinition.objects.get(pk=definition_id).refusals
    _open(administrator, f"{live_server.url}/staff/processes/{definition_id}/design/")
    administrator.get_by_role("button", name="发布").click()
    summary = administrator.locator(".designer-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("li")).to_have_count(len(refusals))
    assert summary.locator("li").all_inner_texts() == refusals
    # Each reason that names an element is also shown beside it.
    beside = [r for r in refusals if r.startswith("流程元素")]
    notes = administrator.locator(".designer-problem-note")
    expect(notes).to_have_count(len(beside))
    if beside:
        assert beside[0].endswith(notes.first.inner_text())
    assert ProcessDefinition.objects.filter(key="miwg").count() == 1
    assert administrator.errors == [], "\n".join(administrator.errors)  # type: ignore[attr-defined]
