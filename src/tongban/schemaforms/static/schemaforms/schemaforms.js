// Schema forms: live totals of 明细表 and the show/hide of conditional fields (x-when) while typing.
// Only an enhancement: the server works both out again on every submission, and without this script
// totals show after submitting and conditional fields stay visible with their «仅当…时填写» hint.
(function () {
  "use strict";

  // Decimal arithmetic on BigInt (never binary floats), rounded to fen half up as the server does.
  function parse(text) {
    var clean = String(text == null ? "" : text)
      .replace(/[\uff10-\uff19]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xfee0); })
      .replace(/\uff0e/g, ".")
      .replace(/[\s,]/g, "");
    var match = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(clean);
    if (!match) return null;
    var fraction = match[3] || "";
    var n = BigInt(match[2] + fraction);
    return { n: match[1] === "-" ? -n : n, scale: fraction.length };
  }
  function rescale(d, scale) { return d.n * (10n ** BigInt(scale - d.scale)); }
  function add(a, b) { var s = Math.max(a.scale, b.scale); return { n: rescale(a, s) + rescale(b, s), scale: s }; }
  function multiply(a, b) { return { n: a.n * b.n, scale: a.scale + b.scale }; }
  function compare(a, b) {
    var s = Math.max(a.scale, b.scale), x = rescale(a, s), y = rescale(b, s);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  function fen(d) {
    if (d.scale <= 2) return { n: rescale(d, 2), scale: 2 };
    var div = 10n ** BigInt(d.scale - 2), q = d.n / div, r = d.n % div;
    if ((r < 0n ? -r : r) * 2n >= div) q += d.n < 0n ? -1n : 1n;
    return { n: q, scale: 2 };
  }
  function plain(d) {
    var f = fen(d), neg = f.n < 0n, digits = (neg ? -f.n : f.n).toString().padStart(3, "0");
    return (neg ? "-" : "") + digits.slice(0, -2) + "." + digits.slice(-2);
  }
  function shown(d, isCount) {
    var text = plain(d), neg = text.charAt(0) === "-", body = neg ? text.slice(1) : text;
    var whole = body.slice(0, -3).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return (neg ? "-" : "") + whole + (isCount ? "" : body.slice(-3));
  }

  function control(form, name) { return form.elements.namedItem(name); }
  function textOf(form, name) {
    var el = control(form, name);
    return el && "value" in el ? el.value : "";
  }

  function recompute(form) {
    form.querySelectorAll("output[data-product]").forEach(function (out) {
      var names = out.getAttribute("data-product").split(" "), prefix = out.getAttribute("data-prefix");
      var a = parse(textOf(form, prefix + names[0])), b = parse(textOf(form, prefix + names[1]));
      var value = a && b ? fen(multiply(a, b)) : null;
      out.setAttribute("data-value", value ? plain(value) : "");
      out.value = value ? shown(value, false) : "";
    });
    form.querySelectorAll("output[data-sum]").forEach(function (out) {
      var rows = out.getAttribute("data-sum"), column = out.getAttribute("data-column");
      var count = parseInt(textOf(form, rows + "-count"), 10) || 0, sum = { n: 0n, scale: 0 };
      for (var i = 0; i < count; i++) {
        var product = document.getElementById("field-" + rows + "-" + i + "-" + column);
        var part = parse(product && product.tagName === "OUTPUT" ? product.getAttribute("data-value")
          : textOf(form, rows + "-" + i + "-" + column));
        if (part) sum = add(sum, part);
      }
      out.setAttribute("data-value", plain(sum));
      out.value = shown(sum, out.hasAttribute("data-count"));
    });
  }

  // The answer of a top-level field as the condition compares it: text, "yes"/"no", a boolean for a
  // single checkbox, an ISO date, or a total's plain number.
  function answer(form, name) {
    var total = form.querySelector("output[data-sum]#field-" + name);
    if (total) return total.getAttribute("data-value");
    var el = control(form, name);
    if (el && el.type === "checkbox") return el.checked;
    if (el && typeof RadioNodeList !== "undefined" && el instanceof RadioNodeList) return el.value;
    if (el) return el.value.trim();
    var y = textOf(form, name + "-year").trim(), m = textOf(form, name + "-month").trim(), d = textOf(form, name + "-day").trim();
    if (!/^\d{4}$/.test(y) || !/^\d{1,2}$/.test(m) || !/^\d{1,2}$/.test(d)) return "";
    return y + "-" + m.padStart(2, "0") + "-" + d.padStart(2, "0");
  }

  function equal(found, expected) {
    if (typeof expected === "boolean") return found === expected || found === (expected ? "yes" : "no");
    if (typeof expected === "number") {
      var a = parse(found), b = parse(String(expected));
      return !!(a && b) && compare(a, b) === 0;
    }
    return found === expected;
  }

  function holds(condition, found) {
    if (found === "" || found === null || found === undefined) return false;
    var op = condition.op, value = condition.value;
    if (op === "equals") return equal(found, value);
    if (op === "not_equals") return !equal(found, value);
    if (op === "in") return value.some(function (v) { return equal(found, v); });
    var order;
    if (typeof value === "number") {
      var a = parse(found), b = parse(String(value));
      if (!a || !b) return false;
      order = compare(a, b);
    } else {
      if (typeof found !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(found)) return false;
      order = found < value ? -1 : found > value ? 1 : 0;
    }
    return { gt: order > 0, gte: order >= 0, lt: order < 0, lte: order <= 0 }[op];
  }

  function toggle(form) {
    form.querySelectorAll("[data-when]").forEach(function (wrapper) {
      var condition = JSON.parse(wrapper.getAttribute("data-when"));
      wrapper.hidden = !holds(condition, answer(form, condition.field));
    });
  }

  function refresh(form) { recompute(form); toggle(form); }

  document.querySelectorAll("form").forEach(function (form) {
    if (!form.querySelector("output[data-sum], output[data-product], [data-when]")) return;
    form.addEventListener("input", function () { refresh(form); });
    form.addEventListener("change", function () { refresh(form); });
    refresh(form);
  });
})();
