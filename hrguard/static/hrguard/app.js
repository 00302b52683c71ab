/* HRGuard page behaviour. Loaded with `defer` from base.html before Alpine (CSP build).
 *
 * The Content Security Policy allows scripts from 'self' only: no inline <script>, no on* attributes,
 * no eval. So behaviour hangs off data attributes:
 *   <form data-confirm="确定？">          asks before submitting
 *   <form data-once>                      disables its buttons once submitted (no second click)
 *   <div class="hrg-chart" data-echarts='{"xAxis":…}'>   renders an ECharts option (JSON)
 *   <div class="hrg-chart" data-echarts-src="/url.json"> fetches the option as JSON first
 * Alpine components are registered with Alpine.data() below (the CSP build cannot evaluate
 * inline object literals in x-data).
 */
(function () {
  "use strict";

  var lang = (document.documentElement.getAttribute("lang") || "zh-hans").toLowerCase();

  /* ---- confirmation before destructive submits ---- */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  /* ---- a form sent once (a double click must not start two runs; the server checks it too) ---- */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-once") || event.defaultPrevented) return;
    window.setTimeout(function () {
      form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    }, 0);
  });

  /* ---- ECharts ---- */
  function chartLocale() {
    return lang.indexOf("zh") === 0 ? "ZH" : "EN";
  }

  function drawChart(el, option) {
    if (!window.echarts) return;
    // HTML tooltips carry style attributes, which the CSP blocks: draw them on the canvas instead.
    if (option.tooltip) option.tooltip.renderMode = option.tooltip.renderMode || "richText";
    var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el, null, { locale: chartLocale() });
    chart.setOption(option, true);
    el.setAttribute("data-echarts-ready", "true");
  }

  function initCharts(root) {
    if (!window.echarts) return;
    (root || document).querySelectorAll("[data-echarts], [data-echarts-src]").forEach(function (el) {
      if (el.getAttribute("data-echarts-ready")) return;
      var src = el.getAttribute("data-echarts-src");
      if (src) {
        fetch(src, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) { return r.json(); })
          .then(function (option) { drawChart(el, option); });
      } else {
        try {
          drawChart(el, JSON.parse(el.getAttribute("data-echarts")));
        } catch (err) {
          console.error("hrguard: bad chart option", err);
        }
      }
    });
  }

  window.addEventListener("resize", function () {
    if (!window.echarts) return;
    document.querySelectorAll("[data-echarts-ready]").forEach(function (el) {
      var chart = window.echarts.getInstanceByDom(el);
      if (chart) chart.resize();
    });
  });

  /* ---- htmx ---- */
  function showError(text) {
    var box = document.getElementById("hrg-htmx-error");
    if (!box) return;
    box.textContent = text;
    box.classList.remove("d-none");
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail && event.detail.xhr ? event.detail.xhr.status : 0;
    var box = document.getElementById("hrg-htmx-error");
    var message = box ? box.getAttribute("data-message") : "Error";
    showError(message + (status ? " (" + status + ")" : ""));
  });
  document.addEventListener("htmx:sendError", function () {
    var box = document.getElementById("hrg-htmx-error");
    showError(box ? box.getAttribute("data-offline") : "Network error");
  });
  // A session that expired mid-page: the partial request was redirected to the login page. Go there
  // as a whole page instead of swapping a login form into a table.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.responseURL && xhr.responseURL.indexOf("/accounts/login/") !== -1) {
      event.detail.shouldSwap = false;
      window.location.assign(xhr.responseURL);
    }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    initCharts(event.target);
  });

  document.addEventListener("DOMContentLoaded", function () {
    initCharts(document);
  });

  /* ---- Alpine components (CSP build: register here, reference by name in x-data) ---- */
  document.addEventListener("alpine:init", function () {
    // <div x-data="disclosure"><button x-on:click="toggle">…</button><div x-show="open">…</div></div>
    window.Alpine.data("disclosure", function () {
      return {
        open: false,
        toggle: function () { this.open = !this.open; },
        close: function () { this.open = false; }
      };
    });
  });

  window.hrguard = { initCharts: initCharts };
})();
