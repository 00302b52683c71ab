/* Signature pad for /sign/<token>/ — plain JS, no inline script (strict CSP).
 * Draw with finger, pen or mouse on <canvas id="sig-pad">; on submit the drawing goes into the
 * hidden input "drawn" as a PNG data URL. The "mode" radios switch between drawn and typed name. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  ready(function () {
    var form = document.getElementById("sign-form");
    if (!form) { return; }
    var canvas = document.getElementById("sig-pad");
    var hidden = form.querySelector("input[name=drawn]");
    var drawnBox = document.getElementById("mode-drawn-box");
    var typedBox = document.getElementById("mode-typed-box");
    var strokes = 0;
    var ctx = canvas ? canvas.getContext("2d") : null;
    var drawing = false;
    var last = null;

    function size() {
      if (!canvas) { return; }
      var ratio = Math.max(window.devicePixelRatio || 1, 1);
      var rect = canvas.getBoundingClientRect();
      if (rect.width === 0) { return; }
      canvas.width = Math.round(rect.width * ratio);
      canvas.height = Math.round(rect.height * ratio);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.lineWidth = 2.6;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#10206b";
      strokes = 0;
    }

    function point(ev) {
      var rect = canvas.getBoundingClientRect();
      return { x: ev.clientX - rect.left, y: ev.clientY - rect.top };
    }

    if (canvas) {
      canvas.addEventListener("pointerdown", function (ev) {
        ev.preventDefault();
        drawing = true;
        last = point(ev);
        if (canvas.setPointerCapture) { canvas.setPointerCapture(ev.pointerId); }
        ctx.beginPath();
        ctx.arc(last.x, last.y, 1.2, 0, Math.PI * 2);
        ctx.fill();
      });
      canvas.addEventListener("pointermove", function (ev) {
        if (!drawing) { return; }
        ev.preventDefault();
        var p = point(ev);
        ctx.beginPath();
        ctx.moveTo(last.x, last.y);
        ctx.lineTo(p.x, p.y);
        ctx.stroke();
        last = p;
        strokes += 1;
      });
      ["pointerup", "pointercancel", "pointerleave"].forEach(function (name) {
        canvas.addEventListener(name, function () { drawing = false; });
      });
      var clear = document.getElementById("sig-clear");
      if (clear) {
        clear.addEventListener("click", function () {
          ctx.clearRect(0, 0, canvas.width, canvas.height);
          strokes = 0;
        });
      }
      window.addEventListener("resize", size);
    }

    function mode() {
      var checked = form.querySelector("input[name=mode]:checked");
      return checked ? checked.value : "typed";
    }

    function showMode() {
      var m = mode();
      if (drawnBox) { drawnBox.hidden = m !== "drawn"; }
      if (typedBox) { typedBox.hidden = m !== "typed"; }
      if (m === "drawn") { size(); }
    }

    form.querySelectorAll("input[name=mode]").forEach(function (el) { el.addEventListener("change", showMode); });
    showMode();

    form.addEventListener("submit", function (ev) {
      if (mode() === "drawn") {
        if (strokes < 3) {
          ev.preventDefault();
          var msg = document.getElementById("sig-empty");
          if (msg) { msg.hidden = false; }
          return;
        }
        hidden.value = canvas.toDataURL("image/png");
      } else {
        hidden.value = "";
      }
    });
  });
})();
