/* 工作台 charts: headcount by department and 入转调离 per month, from the page's json_script data
 * (#workbench-charts). Loaded with `defer` after echarts.min.js; the CSP allows no inline script. */
(function () {
  "use strict";

  function locale() {
    var lang = (document.documentElement.getAttribute("lang") || "zh-hans").toLowerCase();
    return lang.indexOf("zh") === 0 ? "ZH" : "EN";
  }

  function option(months, block, stacked, empty) {
    var series = block.series.map(function (s) {
      var item = { name: s.name, type: "bar", data: s.data, emphasis: { focus: "series" } };
      if (stacked) item.stack = "total";
      return item;
    });
    var hasData = block.series.some(function (s) { return s.data.some(function (v) { return v > 0; }); });
    return {
      title: { text: block.title, left: 0, textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis", renderMode: "richText", confine: true },
      legend: { type: "scroll", top: 34, left: 0 },
      grid: { left: 8, right: 8, top: 72, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: months },
      yAxis: { type: "value", minInterval: 1 },
      graphic: hasData ? [] : [{ type: "text", left: "center", top: "middle", style: { text: empty, fill: "#6c757d" } }],
      toolbox: { feature: { saveAsImage: {} }, right: 0 },
      series: series
    };
  }

  function draw(id, opt) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return;
    var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el, null, { locale: locale() });
    chart.setOption(opt, true);
    el.setAttribute("data-echarts-ready", "true");
  }

  function init() {
    var source = document.getElementById("workbench-charts");
    if (!source) return;
    var data = JSON.parse(source.textContent);
    draw("chart-headcount", option(data.months, data.headcount, true, data.empty));
    draw("chart-movements", option(data.months, data.movements, false, data.empty));
  }

  document.addEventListener("DOMContentLoaded", init);
})();
