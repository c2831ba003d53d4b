// 正文 editor: Quill (served from our static files) over the form's textarea. The textarea stays the
// field the form posts; without JavaScript it is the editor. The toolbar is the page's own labelled
// native buttons and select (Quill's core theme leaves them as they are).
(function () {
  "use strict";
  function start(holder) {
    var textarea = document.getElementById(holder.getAttribute("data-body-editor"));
    if (!textarea || holder.getAttribute("data-ready") || !window.Quill) return;
    holder.setAttribute("data-ready", "true");
    var toolbar = holder.querySelector(".body-toolbar");
    var quill = new window.Quill(holder.querySelector(".body-editor-area"), {
      modules: { toolbar: { container: toolbar }, table: true, history: { delay: 1000, userOnly: true } },
    });
    quill.setContents(quill.clipboard.convert({ html: textarea.value }), "silent");
    quill.history.clear();
    var root = quill.root;
    root.setAttribute("role", "textbox");
    root.setAttribute("aria-multiline", "true");
    root.setAttribute("aria-labelledby", textarea.id + "_label");
    root.setAttribute("aria-describedby", textarea.getAttribute("aria-describedby") || "");
    function sync() {
      textarea.value = quill.getText().trim() ? quill.getSemanticHTML() : "";
    }
    quill.on("text-change", sync);
    var table = quill.getModule("table");
    var actions = {
      insert: function () { table.insertTable(3, 3); },
      row: function () { table.insertRowBelow(); },
      column: function () { table.insertColumnRight(); },
      "delete-row": function () { table.deleteRow(); },
    };
    toolbar.querySelectorAll("[data-table]").forEach(function (button) {
      button.addEventListener("click", function () {
        quill.focus();
        actions[button.getAttribute("data-table")]();
        sync();
      });
    });
    toolbar.querySelectorAll("[data-history]").forEach(function (button) {
      button.addEventListener("click", function () {
        quill.history[button.getAttribute("data-history")]();
        quill.focus();
      });
    });
    var label = document.getElementById(textarea.id + "_label");
    if (label) label.addEventListener("click", function (event) { event.preventDefault(); quill.focus(); });
    if (textarea.form) textarea.form.addEventListener("submit", sync);
    // The error summary links to the textarea, hidden now: take the reader to the editor instead.
    document.querySelectorAll('a[href="#' + textarea.id + '"]').forEach(function (link) {
      link.addEventListener("click", function (event) { event.preventDefault(); quill.focus(); });
    });
    textarea.hidden = true;
    holder.hidden = false;
  }
  function boot() {
    document.querySelectorAll("[data-body-editor]").forEach(start);
  }
  if (window.Quill) {
    boot();
  } else {
    // Inserted by an htmx swap, the scripts load in any order: wait for Quill's.
    var script = document.querySelector('script[src*="vendor/quill/quill"]');
    if (script) script.addEventListener("load", boot);
  }
})();
