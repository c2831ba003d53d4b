// The process designer page: opens the model (json_script "designer-data") in the Modeler built
// from workflow/assets/modeler.js, checks it (检查) and publishes it (发布) through the JSON
// endpoints, and shows each problem beside its element (overlay and marker) and in the error
// summary, whose links select the element.
(function () {
  "use strict";
  var root = document.querySelector("[data-designer]");
  if (!root) return;
  var data = JSON.parse(document.getElementById(root.getAttribute("data-designer")).textContent);
  var form = document.querySelector(".designer-form");
  var summary = document.querySelector(".designer-summary");
  var status = document.querySelector(".designer-status");
  var modeler = null;
  var shown = [];

  function post(url, fields) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    Object.keys(fields).forEach(function (name) { body.append(name, fields[name]); });
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) { return response.json(); });
  }

  function checkCondition(text) {
    return post(data.urls.condition, { expression: text }).then(function (answer) { return answer.error; });
  }

  function clearProblems() {
    var overlays = modeler.get("overlays");
    var canvas = modeler.get("canvas");
    overlays.remove({ type: "designer-problem" });
    shown.forEach(function (id) { canvas.removeMarker(id, "designer-problem"); });
    shown = [];
    summary.hidden = true;
    summary.querySelector("ul").textContent = "";
    ["key", "family"].forEach(function (name) {
      var error = document.getElementById("designer-" + name + "-error");
      error.hidden = true;
      document.getElementById("designer-" + name).removeAttribute("aria-invalid");
    });
  }

  function selectElement(id) {
    var element = modeler.get("elementRegistry").get(id);
    if (!element) return;
    modeler.get("selection").select(element);
    modeler.get("canvas").scrollToElement(element);
    document.getElementById("designer-canvas").focus();
  }

  function summaryItem(text, href, onClick) {
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = href;
    link.textContent = text;
    if (onClick) {
      link.addEventListener("click", function (event) { event.preventDefault(); onClick(); });
    }
    item.appendChild(link);
    summary.querySelector("ul").appendChild(item);
  }

  // The element drawn for an id: itself, or for a process in a collaboration its pool.
  function drawnElement(registry, id) {
    return registry.get(id) || registry.filter(function (element) {
      var processRef = element.businessObject && element.businessObject.processRef;
      return processRef && processRef.id === id;
    })[0];
  }

  function exportFailed(error) {
    clearProblems();
    status.textContent = "未能检查或发布。";
    summaryItem("流程图未能保存为BPMN文件或未能提交：" + error.message, "#designer-canvas");
    summary.hidden = false;
    summary.focus();
  }

  function showProblems(answer) {
    clearProblems();
    var registry = modeler.get("elementRegistry");
    var overlays = modeler.get("overlays");
    var canvas = modeler.get("canvas");
    var fields = answer.fields || {};
    Object.keys(fields).forEach(function (name) {
      var error = document.getElementById("designer-" + name + "-error");
      error.querySelector(".text").textContent = fields[name];
      error.hidden = false;
      document.getElementById("designer-" + name).setAttribute("aria-invalid", "true");
      summaryItem(fields[name], "#designer-" + name);
    });
    answer.problems.forEach(function (problem) {
      var element = problem.element_id && drawnElement(registry, problem.element_id);
      var id = element && element.id;
      if (element) {
        summaryItem(problem.message, "#designer-canvas", function () { selectElement(id); });
        if (shown.indexOf(id) < 0) {
          canvas.addMarker(id, "designer-problem");
          shown.push(id);
        }
        var badge = document.createElement("div");
        badge.className = "designer-problem-note";
        badge.setAttribute("data-element-id", id);
        // The element's own name is on the diagram: keep what is wrong.
        badge.textContent = problem.message.replace(/^流程元素[^：]*：/, "");
        overlays.add(id, "designer-problem", { position: { bottom: -8, left: 0 }, html: badge });
      } else {
        summaryItem(problem.message, "#designer-canvas");
      }
    });
    if (summary.querySelector("li")) {
      summary.hidden = false;
      summary.focus();
    }
  }

  function currentXml() {
    return modeler.saveXML({ format: true }).then(function (result) { return result.xml; });
  }

  function check() {
    status.textContent = "正在检查…";
    return currentXml()
      .then(function (xml) {
        // The upload's validation for this key and family (an application's steps need a kind
        // with an application meaning; call activities resolve to published processes).
        return post(data.urls.check, {
          xml: xml,
          key: document.getElementById("designer-key").value,
          family: document.getElementById("designer-family").value,
        });
      })
      .then(function (answer) {
        showProblems(answer);
        status.textContent = answer.ok ? "检查通过，可以发布。" : "检查未通过，请按提示修改。";
      }, exportFailed);
  }

  function publish(event) {
    event.preventDefault();
    status.textContent = "正在发布…";
    currentXml()
      .then(function (xml) {
        var basedOn = form.querySelector("[name=based_on]");
        return post(data.urls.publish, {
          xml: xml,
          key: document.getElementById("designer-key").value,
          family: document.getElementById("designer-family").value,
          based_on: basedOn ? basedOn.value : "",
        });
      })
      .then(function (answer) {
        if (answer.ok) {
          window.location.assign(answer.url);
          return;
        }
        status.textContent = "未能发布，请按提示修改。";
        showProblems(answer);
      }, exportFailed);
  }

  function start() {
    modeler = window.TongbanModeler.create({
      container: root.querySelector(".designer-canvas"),
      panel: root.querySelector(".designer-panel"),
      tongban: Object.assign({}, data, { checkCondition: checkCondition }),
    });
    window.tongbanDesigner = modeler; // for the browser tests (round-trip through saveXML)
    modeler
      .importXML(data.xml)
      .then(function (result) {
        modeler.get("canvas").zoom("fit-viewport");
        root.setAttribute("data-ready", "true");
        root.setAttribute("data-import-warnings", String(result.warnings.length));
      })
      .catch(function (error) {
        root.setAttribute("data-ready", "failed");
        status.textContent = "流程图无法打开：" + error.message;
      });
    document.querySelector("[data-designer-check]").addEventListener("click", check);
    form.addEventListener("submit", publish);
  }

  if (window.TongbanModeler) {
    start();
  } else {
    document.getElementById("designer-modeler").addEventListener("load", start);
  }
})();
