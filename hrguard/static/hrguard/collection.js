/* Collection contacts per month by agency (#collection-chart json_script). Loaded with `defer` after
 * echarts.min.js; the CSP allows no inline script. */
(function () {
  "use strict";
  function init() {
    var source = document.getElementById("collection-chart");
    var el = document.getElementById("chart-collection");
    if (!source || !el || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var lang = (document.documentElement.getAttribute("lang") || "zh-hans").toLowerCase();
    var chart = window.echarts.init(el, null, { locale: lang.indexOf("zh") === 0 ? "ZH" : "EN" });
    var hasData = data.series.some(function (s) { return s.data.some(function (v) { return v > 0; }); });
    chart.setOption({
      animation: false,
      title: { text: data.title, left: 0, textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis", renderMode: "richText", confine: true },
      legend: { type: "scroll", top: 34, left: 0 },
      grid: { left: 8, right: 8, top: 72, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", minInterval: 1 },
      graphic: hasData ? [] : [{ type: "text", left: "center", top: "middle", style: { text: data.empty, fill: "#6c757d" } }],
      series: data.series.map(function (s) { return { name: s.name, type: "bar", stack: "total", data: s.data }; })
    });
    el.setAttribute("data-echarts-ready", "true");
    el.setAttribute("data-total", String(data.series.reduce(function (t, s) {
      return t + s.data.reduce(function (a, b) { return a + b; }, 0); }, 0)));
  }
  document.addEventListener("DOMContentLoaded", init);
})();
