/* 手写签批: draw a signature on the canvas with a mouse, finger or pen (pointer events); on submit the
   drawing goes into the hidden field as a PNG data URL (checked again on the server). */
(function () {
  "use strict";
  function setUp(form) {
    var canvas = form.querySelector("canvas.signature-pad");
    var field = form.querySelector("input[name=signature]");
    if (!canvas || !field) return;
    var context = canvas.getContext("2d");
    var drawing = false;
    var drawn = false;
    context.lineWidth = 3;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#000";
    function point(event) {
      var box = canvas.getBoundingClientRect();
      return {
        x: (event.clientX - box.left) * (canvas.width / box.width),
        y: (event.clientY - box.top) * (canvas.height / box.height)
      };
    }
    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      drawing = true;
      if (canvas.setPointerCapture) canvas.setPointerCapture(event.pointerId);
      var p = point(event);
      context.beginPath();
      context.moveTo(p.x, p.y);
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      event.preventDefault();
      var p = point(event);
      context.lineTo(p.x, p.y);
      context.stroke();
      drawn = true;
    });
    function stop() { drawing = false; }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    canvas.addEventListener("pointerleave", stop);
    var clear = form.querySelector("[data-signature-clear]");
    if (clear) {
      clear.addEventListener("click", function () {
        context.clearRect(0, 0, canvas.width, canvas.height);
        drawn = false;
        field.value = "";
      });
    }
    form.addEventListener("submit", function () {
      field.value = drawn ? canvas.toDataURL("image/png") : "";
    });
  }
  function init() {
    var forms = document.querySelectorAll("form[data-signature-form]");
    for (var i = 0; i < forms.length; i++) setUp(forms[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
