// 常用语: choosing a phrase puts it into the opinion box (appended when something is typed already).
(function () {
  "use strict";
  document.querySelectorAll("select[data-fills]").forEach(function (select) {
    select.addEventListener("change", function () {
      var target = document.getElementById(select.getAttribute("data-fills"));
      if (!target || !select.value) return;
      target.value = target.value.trim() ? target.value.trim() + select.value : select.value;
      target.focus();
    });
  });
})();
