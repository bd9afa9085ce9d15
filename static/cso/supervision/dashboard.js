// 监管看板: the bar chart of the annual reports (data from json_script; ECharts from npm, served locally).
(function () {
  "use strict";
  const el = document.getElementById("sv-annual-chart");
  const data = document.getElementById("sv-annual-data");
  if (!el || !data || typeof window.echarts === "undefined") return;
  const chart = JSON.parse(data.textContent);
  window.echarts.init(el, null, { renderer: "canvas" }).setOption({
    grid: { left: 40, right: 10, top: 10, bottom: 24 },
    xAxis: { type: "category", data: chart.labels },
    yAxis: { type: "value", minInterval: 1 },
    tooltip: { trigger: "axis" },
    series: [{ type: "bar", data: chart.values }],
  });
})();
