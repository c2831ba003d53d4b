"""The process designer (流程设计器, issue 14): process administrators draw a process in the
browser with bpmn-js's Modeler, check it against the same validation as an upload, and publish it
as the next version of its key. The page's script (static workflow/designer.js) posts the model's
XML to the JSON endpoints here; every answer names the element each problem concerns."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tongban.accounts.access import staff_only
from tongban.core.errors import TongbanError
from tongban.organizations.selectors import role_choices
from tongban.workflow import expressions, selectors, services
from tongban.workflow.countersign_rules import MODE_LABELS
from tongban.workflow.errors import DefinitionError
from tongban.workflow.models import ProcessFamily
from tongban.workflow.validation import MAX_BYTES
from tongban.workflow.views import _definition_for

# What a new model starts with: a start and an end event joined by a flow, with its diagram.
BLANK_MODEL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" \
xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" \
xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" \
id="Definitions_{suffix}" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_{suffix}" name="{name}" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" name="{start}" />
    <bpmn:endEvent id="EndEvent_1" name="{end}" />
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="EndEvent_1" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="Process_{suffix}">
      <bpmndi:BPMNShape id="StartEvent_1_di" bpmnElement="StartEvent_1">
        <dc:Bounds x="152" y="182" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="EndEvent_1_di" bpmnElement="EndEvent_1">
        <dc:Bounds x="652" y="182" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="Flow_1_di" bpmnElement="Flow_1">
        <di:waypoint x="188" y="200" />
        <di:waypoint x="652" y="200" />
      </bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


def _blank_model() -> str:
    return BLANK_MODEL.format(suffix=uuid.uuid4().hex[:8], name=_("新流程"), start=_("开始"), end=_("结束"))


def _panel_choices() -> dict[str, list[tuple[str, str]]]:
    """The options of the 通办属性 group's selects (property values from docs/process-models.md)."""
    return {
        "roles": role_choices(),
        "stepKinds": selectors.step_kind_choices(),
        "assigneeRules": [
            ("role", _("本部门（泳道）的办理角色")),
            ("users", _("指定人员")),
            ("department_head", _("发起人的部门负责人")),
            ("leader", _("上级领导（向上N级）")),
            ("initiator_choice", _("发起人自选")),
            ("previous_choice", _("上一环节审批人自选")),
            ("form_field", _("表单中的人员字段")),
        ],
        "countersignModes": [(mode.value, str(label)) for mode, label in MODE_LABELS.items()],
        "results": [("approved", _("准予")), ("denied", _("不予"))],
        "directReturn": [("ask", _("退回人选择")), ("always", _("直送本环节")), ("never", _("按流程重走"))],
        "timeoutActions": [
            ("remind", _("提醒")),
            ("escalate", _("升级督办")),
            ("approve", _("自动同意")),
            ("reject", _("自动不同意")),
        ],
    }


def _designer_page(
    request: HttpRequest, *, xml: str, key: str, family: str, based_on: object
) -> HttpResponse:
    data = {
        "xml": xml,
        **_panel_choices(),
        "urls": {
            "check": reverse("workflow:designer_check"),
            "condition": reverse("workflow:designer_condition"),
            "publish": reverse("workflow:designer_publish"),
        },
    }
    return render(
        request,
        "workflow/designer.html",
        {
            "designer": data,
            "key": key,
            "family": family,
            "families": ProcessFamily.choices,
            "based_on": based_on,
        },
    )


@require_GET
@staff_only
def designer_new(request: HttpRequest) -> HttpResponse:
    """设计新流程: a blank model with a start and an end event."""
    if not selectors.may_design_processes(request.user.pk):
        raise Http404
    return _designer_page(request, xml=_blank_model(), key="", family=ProcessFamily.INTERNAL, based_on=None)


@require_GET
@staff_only
def designer_edit(request: HttpRequest, definition_id: int) -> HttpResponse:
    """One version opened in the designer; publishing makes the next version of its key."""
    found = _definition_for(request, definition_id, changing=True)
    return _designer_page(request, xml=found.bpmn_xml, key=found.key, family=found.family, based_on=found)


def _posted_model(request: HttpRequest) -> bytes:
    data = request.POST.get("xml", "").encode("utf-8")
    if not data.strip():
        raise DefinitionError(_("请先绘制流程"), code="empty")
    if len(data) > MAX_BYTES:
        raise DefinitionError(_("流程定义文件不能超过2MB"), code="too_large")
    return data


def _problems(error: DefinitionError) -> list[dict[str, str | None]]:
    return [{"element_id": element_id, "message": message} for element_id, message in error.problems]


@require_POST
@staff_only
def designer_check(request: HttpRequest) -> JsonResponse:
    """检查: the posted model through the upload's validation; each problem with its element."""
    if not selectors.may_design_processes(request.user.pk):
        raise Http404
    family = request.POST.get("family", "")
    try:
        checked = services.check_definition(
            _posted_model(request),
            key=request.POST.get("key", "").strip(),
            family=family if family in ProcessFamily.values else ProcessFamily.APPLICATION,
        )
    except DefinitionError as exc:
        return JsonResponse({"ok": False, "problems": _problems(exc)})
    return JsonResponse({"ok": True, "problems": [], "steps": [step.name for step in checked.steps]})


@require_POST
@staff_only
def designer_condition(request: HttpRequest) -> JsonResponse:
    """A flow's condition as it is typed: whether the restricted grammar (``expressions``) reads it."""
    if not selectors.may_design_processes(request.user.pk):
        raise Http404
    try:
        expressions.parse(request.POST.get("expression", ""))
    except expressions.ExpressionError as exc:
        return JsonResponse({"error": _("条件%(error)s") % {"error": exc}})
    return JsonResponse({"error": None})


@require_POST
@staff_only
def designer_publish(request: HttpRequest) -> JsonResponse:
    """发布: the posted model becomes the next version of its key (running instances keep theirs)."""
    if not selectors.may_design_processes(request.user.pk):
        raise Http404
    key = request.POST.get("key", "").strip()
    family = request.POST.get("family", "")
    fields = {}
    based_on = request.POST.get("based_on", "")
    if based_on:  # an opened version: its next version, whatever key was posted
        key = _definition_for(request, int(based_on) if based_on.isdigit() else 0, changing=True).key
    elif key and selectors.definitions().filter(key=key).exists():
        # A new drawing must not silently become a version of another process.
        fields["key"] = _("流程标识“%(key)s”已被其他流程使用；要修改该流程，请在流程定义中点“设计”") % {
            "key": key
        }
    if not key:
        fields["key"] = _("请输入流程标识")
    if family not in ProcessFamily.values:
        fields["family"] = _("请选择流程类别")
    if fields:
        return JsonResponse({"ok": False, "fields": fields, "problems": []}, status=400)
    try:
        definition_id = services.upload_definition(
            key=key,
            data=_posted_model(request),
            uploaded_by_id=request.user.pk,
            family=family,
            region_id=selectors.new_definition_region(request.user.pk),
        )
    except DefinitionError as exc:
        if exc.code == "bad_key":
            return JsonResponse({"ok": False, "fields": {"key": exc.message}, "problems": []}, status=400)
        return JsonResponse({"ok": False, "fields": {}, "problems": _problems(exc)}, status=400)
    except TongbanError as exc:  # another version published at the same moment (409)
        problems = [{"element_id": None, "message": exc.message}]
        return JsonResponse({"ok": False, "fields": {}, "problems": problems}, status=exc.status)
    messages.success(request, _("流程已发布"))
    url = reverse("workflow:definition", kwargs={"definition_id": definition_id})
    return JsonResponse({"ok": True, "url": url})
