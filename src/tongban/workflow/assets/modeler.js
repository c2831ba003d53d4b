// The source of the designer's bundle (built by `make assets` with esbuild into the vendor static
// files, never committed): bpmn-js's Modeler, the properties panel, the Camunda moddle extension
// (our properties are camunda:properties, so Camunda Modeler's files keep working) and the
// 通办属性 group. It defines window.TongbanModeler; workflow/static/workflow/designer.js drives it.
import Modeler from "bpmn-js/lib/Modeler";
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, useService } from "bpmn-js-properties-panel";
import {
  CheckboxEntry,
  SelectEntry,
  TextFieldEntry,
  isCheckboxEntryEdited,
  isSelectEntryEdited,
  isTextFieldEntryEdited,
} from "@bpmn-io/properties-panel";
import { useEffect, useState } from "@bpmn-io/properties-panel/preact/hooks";
import { jsx } from "@bpmn-io/properties-panel/preact/jsx-runtime";
import { getBusinessObject, is } from "bpmn-js/lib/util/ModelUtil";
import camundaModdle from "camunda-bpmn-moddle/resources/camunda.json";

import translations from "./translations.js";

const HUMAN_TASKS = ["bpmn:UserTask", "bpmn:ManualTask", "bpmn:Task"];

// --- camunda:properties of an element (of the process, for a pool) -----------------------------

function ownerOf(element) {
  const bo = getBusinessObject(element);
  return is(bo, "bpmn:Participant") ? bo.processRef : bo;
}

function propertiesOf(bo) {
  const values = (bo && bo.extensionElements && bo.extensionElements.values) || [];
  return values.find((value) => is(value, "camunda:Properties"));
}

export function getProperty(element, name) {
  const properties = propertiesOf(ownerOf(element));
  const found = properties && (properties.values || []).find((p) => p.name === name);
  return found ? found.value || "" : "";
}

function setProperty(injector, element, name, value) {
  const bpmnFactory = injector.get("bpmnFactory");
  const commandStack = injector.get("commandStack");
  const bo = ownerOf(element);
  const commands = [];
  const update = (moddleElement, properties) =>
    commands.push({ cmd: "element.updateModdleProperties", context: { element, moddleElement, properties } });
  let extension = bo.extensionElements;
  if (!extension) {
    if (!value) return;
    extension = bpmnFactory.create("bpmn:ExtensionElements", { values: [] });
    extension.$parent = bo;
    update(bo, { extensionElements: extension });
  }
  let properties = propertiesOf(bo);
  if (!properties) {
    if (!value) return;
    properties = bpmnFactory.create("camunda:Properties", { values: [] });
    properties.$parent = extension;
    update(extension, { values: [...(extension.values || []), properties] });
  }
  const values = properties.values || [];
  const existing = values.find((p) => p.name === name);
  if (existing && value) {
    update(existing, { value });
  } else if (existing) {
    update(properties, { values: values.filter((p) => p !== existing) });
  } else if (value) {
    const property = bpmnFactory.create("camunda:Property", { name, value });
    property.$parent = properties;
    update(properties, { values: [...values, property] });
  }
  if (commands.length) commandStack.execute("properties-panel.multi-command-executor", commands);
}

// --- entries: one stable component per property (a new function each render would remount the
// input and lose the focus while typing) ----------------------------------------------------------

const components = {};

function propertyComponent(kind, name, label, extra) {
  const key = `${kind}:${name}`;
  if (components[key]) return components[key];
  components[key] = function PropertyEntry(props) {
    const { element, id } = props;
    const injector = useService("injector");
    const debounce = useService("debounceInput");
    const common = {
      element,
      id,
      label,
      description: extra.description,
      getValue: () => getProperty(element, name),
      setValue: (value) => setProperty(injector, element, name, value),
    };
    if (kind === "select") {
      return jsx(SelectEntry, { ...common, getOptions: () => [{ value: "", label: "（未设置）" }, ...extra.options()] });
    }
    if (kind === "checkbox") {
      return jsx(CheckboxEntry, {
        ...common,
        getValue: () => getProperty(element, name) === "true",
        setValue: (value) => setProperty(injector, element, name, value ? "true" : ""),
      });
    }
    return jsx(TextFieldEntry, { ...common, debounce });
  };
  return components[key];
}

function entry(kind, name, label, extra = {}) {
  const edited = { select: isSelectEntryEdited, checkbox: isCheckboxEntryEdited }[kind] || isTextFieldEntryEdited;
  return (element) => ({
    id: `tongban-${name}`,
    element,
    component: propertyComponent(kind, name, label, extra),
    isEdited: edited,
  });
}

// --- the condition of a sequence flow, checked on the server as it is typed ----------------------

function conditionOf(element) {
  const condition = getBusinessObject(element).conditionExpression;
  return (condition && condition.body) || "";
}

function ConditionEntry(props) {
  const { element, id } = props;
  const injector = useService("injector");
  const debounce = useService("debounceInput");
  const config = injector.get("config.tongban");
  const value = conditionOf(element);
  const [checked, setChecked] = useState({ text: null, error: null });
  useEffect(() => {
    if (!value.trim()) return undefined;
    let current = true;
    const timer = setTimeout(() => {
      config.checkCondition(value).then((error) => {
        if (current) setChecked({ text: value, error });
      });
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [value]);
  const known = checked.text === value && value.trim();
  return jsx(TextFieldEntry, {
    element,
    id,
    debounce,
    label: "条件表达式",
    description: known && !checked.error ? "条件可以解析" : "例如 amount > 10000 and urgent == true",
    validate: (text) => (checked.text === text ? checked.error : null),
    getValue: () => conditionOf(element),
    setValue: (text) => {
      const modeling = injector.get("modeling");
      const expression = text.trim()
        ? injector.get("bpmnFactory").create("bpmn:FormalExpression", { body: text })
        : undefined;
      modeling.updateProperties(element, { conditionExpression: expression });
    },
  });
}

// --- the group ------------------------------------------------------------------------------------

function humanStepEntries(config) {
  const roles = () => config.roles.map(([value, label]) => ({ value, label: `${label}（${value}）` }));
  const choices = (pairs) => () => pairs.map(([value, label]) => ({ value, label }));
  return [
    entry("select", "role", "办理角色", { options: roles }),
    entry("select", "step", "环节类型", { options: () => config.stepKinds.map(([v, l]) => ({ value: v, label: `${l}（${v}）` })) }),
    entry("select", "assignee", "办理人规则", { options: choices(config.assigneeRules) }),
    entry("text", "assignee_users", "指定人员", { description: "办理人规则为“指定人员”时：用户名，以逗号分隔" }),
    entry("text", "leader_levels", "上溯层级", { description: "办理人规则为“上级领导”时：向上几级（默认1）" }),
    entry("text", "assignee_field", "人员字段", { description: "办理人规则为“表单中的人员字段”时：字段名" }),
    entry("text", "limit_days", "办理时限（工作日）"),
    entry("select", "countersign", "会签方式", { options: choices(config.countersignModes) }),
    entry("text", "countersign_ratio", "会签通过比例", { description: "按比例会签时，例如 2/3 或 60%" }),
    entry("text", "decision", "结果变量", { description: "本环节的同意/不同意（或会签结果）写入的变量，供后面的网关使用" }),
    entry("select", "result", "办结结果", { options: choices(config.results) }),
    entry("select", "direct_return", "退回后直送", { options: choices(config.directReturn) }),
    entry("text", "return_to", "可退回至", { description: "previous、intake、any 或环节ID，以逗号分隔" }),
    entry("text", "field_permissions", "字段权限", { description: "字段:editable 或 字段:hidden，以逗号分隔；未列出的字段只读" }),
    entry("text", "remind_before_days", "到期前提醒（工作日）"),
    entry("select", "escalate", "超期督办角色", { options: roles }),
    entry("text", "escalate_after_days", "超期几日后督办（工作日）"),
    entry("select", "timeout_action", "超时处理", { options: choices(config.timeoutActions) }),
    entry("text", "timeout_after_days", "超时几日后处理（工作日）"),
  ];
}

function processEntries() {
  return [
    entry("text", "starters", "可发起的角色", { description: "角色代码，以逗号分隔；留空则所有工作人员均可发起" }),
    entry("text", "form", "表单", { description: "发起人填写的表单标识" }),
    entry("checkbox", "dedupe", "自动去重（已审批过的人跳过后续环节）"),
  ];
}

function isTimerEvent(element) {
  const bo = getBusinessObject(element);
  return is(bo, "bpmn:Event") && (bo.eventDefinitions || []).some((d) => is(d, "bpmn:TimerEventDefinition"));
}

function TongbanPropertiesProvider(propertiesPanel, config) {
  this.getGroups = (element) => (groups) => {
    let entries = [];
    if (HUMAN_TASKS.includes(element.type)) {
      entries = humanStepEntries(config);
    } else if (is(element, "bpmn:Process") || (is(element, "bpmn:Participant") && getBusinessObject(element).processRef)) {
      entries = processEntries();
    } else if (is(element, "bpmn:SequenceFlow") && !is(element.source, "bpmn:Event")) {
      entries = [(el) => ({ id: "tongban-condition", element: el, component: ConditionEntry, isEdited: isTextFieldEntryEdited })];
    } else if (isTimerEvent(element)) {
      entries = [entry("checkbox", "working_days", "按工作日计算")];
    } else if (is(element, "bpmn:CallActivity")) {
      entries = [
        entry("text", "in", "传入数据", { description: "父流程变量:子流程变量，以逗号分隔" }),
        entry("text", "out", "传出数据", { description: "子流程变量:父流程变量，以逗号分隔" }),
      ];
    }
    if (entries.length) {
      groups.splice(1, 0, { id: "tongban", label: "通办属性", entries: entries.map((make) => make(element)) });
    }
    return groups;
  };
  propertiesPanel.registerProvider(500, this);
}
TongbanPropertiesProvider.$inject = ["propertiesPanel", "config.tongban"];

function translate(template, replacements) {
  const text = translations[template] || template;
  return text.replace(/{([^}]+)}/g, (_, key) => (replacements && key in replacements ? replacements[key] : `{${key}}`));
}

const TongbanModule = {
  __init__: ["tongbanPropertiesProvider"],
  tongbanPropertiesProvider: ["type", TongbanPropertiesProvider],
  translate: ["value", translate],
};

window.TongbanModeler = {
  getProperty,
  create({ container, panel, tongban }) {
    return new Modeler({
      container,
      propertiesPanel: { parent: panel },
      tongban,
      additionalModules: [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, TongbanModule],
      moddleExtensions: { camunda: camundaModdle },
    });
  },
};
