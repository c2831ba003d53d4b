// Draws a BPMN process with bpmn-js and marks done and current steps. The data ({xml, done,
// current}) are fetched from data-process-url, or read from the json_script element named by
// data-process-json. The page stays usable without it: the text list next to the diagram says the same.
(function () {
  "use strict";
  function load(container) {
    var inline = container.getAttribute("data-process-json");
    if (inline) {
      return Promise.resolve(JSON.parse(document.getElementById(inline).textContent));
    }
    return fetch(container.getAttribute("data-process-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    });
  }
  function draw(container) {
    load(container)
      .then(function (data) {
        var viewer = new window.BpmnJS({ container: container });
        return viewer.importXML(data.xml).then(function () {
          var canvas = viewer.get("canvas");
          canvas.zoom("fit-viewport");
          data.done.forEach(function (id) { canvas.addMarker(id, "process-done"); });
          data.current.forEach(function (id) { canvas.addMarker(id, "process-current"); });
          container.setAttribute("data-ready", "true");
        });
      })
      .catch(function () {
        container.setAttribute("data-ready", "failed");
        container.hidden = true;
      });
  }
  document.querySelectorAll("[data-process-url], [data-process-json]").forEach(draw);
})();
