// Dashboard charts (ECharts, served locally). No inline scripts (CSP): every chart container names
// its data — an embedded json_script element (data-source) or a JSON endpoint (data-url) — and
// what to draw from it (data-chart, data-series, data-index). Clicking a bar or point opens the
// page behind it (a child division's dashboard or the organization list).
(function () {
  "use strict";

  if (typeof window.echarts === "undefined") return;

  const RED = "#dc3545";
  const GREEN = "#198754";
  const GREY = "#6c757d";
  const PALETTE = ["#9d1c20", "#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#20c997"];
  const charts = [];
  const fetched = {};

  function fmt(value) {
    if (value === null || value === undefined) return "—";
    return Number(value).toLocaleString("zh-CN", { maximumFractionDigits: 2 });
  }

  function narrow() {
    return window.innerWidth < 576;
  }

  function readEmbedded(id) {
    const el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function load(el) {
    if (el.dataset.source) return Promise.resolve(readEmbedded(el.dataset.source));
    const url = el.dataset.url;
    if (!fetched[url]) {
      fetched[url] = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        });
    }
    return fetched[url];
  }

  function setHeight(el, rows) {
    // CSSOM (not a style attribute), allowed by the CSP.
    el.style.height = Math.max(180, rows * 30 + 70) + "px";
  }

  function horizontalBars(names, items, extra) {
    return Object.assign({
      color: PALETTE,
      animation: false,
      grid: { left: 8, right: 48, top: 28, bottom: 8, containLabel: true },
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        valueFormatter: fmt,
        confine: true,
      },
      xAxis: { type: "value", axisLabel: { hideOverlap: true } },
      yAxis: {
        type: "category",
        data: names,
        inverse: true,
        axisLabel: { width: narrow() ? 84 : 150, overflow: "truncate" },
      },
      series: [{
        type: "bar",
        data: items,
        barMaxWidth: 22,
        label: { show: true, position: "right", formatter: function (p) { return fmt(p.value); } },
        cursor: "pointer",
      }],
    }, extra || {});
  }

  function drawGap(el, payload) {
    const chart = payload.charts[Number(el.dataset.index)];
    if (!chart) return null;
    setHeight(el, chart.bars.length);
    const items = chart.bars.map(function (bar) {
      const color = bar.met === false ? RED : (bar.met ? GREEN : GREY);
      return { value: bar.value, url: bar.url, itemStyle: { color: color } };
    });
    const option = horizontalBars(chart.bars.map(function (b) { return b.name; }), items);
    const values = chart.bars.map(function (b) { return b.value || 0; });
    option.xAxis.max = function (extent) {
      const top = Math.ceil(Math.max(extent.max, chart.target || 0, ...values) * 1.15) || 1;
      return chart.unit === "%" ? Math.min(top, 100) : top;
    };
    option.series[0].markLine = {
      symbol: "none",
      silent: true,
      lineStyle: { type: "dashed", color: "#212529", width: 1.5 },
      label: { show: false },
      data: [{ xAxis: chart.target }],
    };
    return option;
  }

  function drawComposition(el, payload) {
    const items = payload[el.dataset.series] || [];
    if (!items.length) {
      el.classList.add("dash-chart-empty");
      el.textContent = "暂无数据";
      return null;
    }
    setHeight(el, items.length);
    return horizontalBars(
      items.map(function (i) { return i.name; }),
      items.map(function (i) { return { value: i.value, url: i.url }; }),
    );
  }

  function drawTrend(el, payload) {
    const series = payload[el.dataset.series] || [];
    const percentKeys = series.filter(function (s) { return s.unit === "%"; }).length > 0;
    const option = {
      color: PALETTE,
      animation: false,
      grid: { left: 8, right: percentKeys ? 8 : 16, top: narrow() ? 56 : 76, bottom: 8, containLabel: true },
      legend: { type: narrow() ? "scroll" : "plain", top: 0, left: 0, right: 0 },
      tooltip: { trigger: "axis", valueFormatter: fmt, confine: true },
      xAxis: {
        type: "category",
        data: payload.labels.map(function (label) { return label.replace(/（.*）/, ""); }),
        axisLabel: { hideOverlap: true, rotate: narrow() ? 40 : 0 },
      },
      yAxis: [{ type: "value", axisLabel: { hideOverlap: true } }],
      series: series.map(function (s) {
        return {
          type: "line",
          name: s.name + "（" + s.unit + "）",
          yAxisIndex: s.unit === "%" ? 1 : 0,
          data: s.data.map(function (d) { return { value: d.value, url: d.url }; }),
          symbolSize: 7,
          connectNulls: false,
          cursor: "pointer",
        };
      }),
    };
    if (percentKeys) {
      option.yAxis.push({ type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" },
        splitLine: { show: false } });
    }
    el.style.height = (narrow() ? 300 : 320) + "px";
    return option;
  }

  function setNote(el, kind, text) {
    // A caption under a chart (kept in one <p> per kind, updated when the data is refreshed).
    let note = el.parentNode.querySelector(".dash-note-" + kind);
    if (!text) {
      if (note) note.remove();
      return;
    }
    if (!note) {
      note = document.createElement("p");
      note.className = "dash-note-" + kind + " small text-muted mb-0 mt-1";
      el.after(note);
    }
    note.textContent = text;
  }

  function noteTrend(el, payload) {
    const frozen = payload.labels.filter(function (_, i) { return payload.sources[i] === "frozen"; });
    setNote(el, "frozen", frozen.length ? "取自已报送季度统计表（冻结数据）：" + frozen.join("、") : "");
    setNote(el, "pending", payload.pending
      ? "数据量较大，其余 " + payload.pending + " 个季度正在计算，稍后自动补全…" : "");
  }

  const refreshing = {};

  function refreshLater(url) {
    // Pending points: ask again shortly; the server fills a few more each time.
    if (refreshing[url]) return;
    refreshing[url] = true;
    window.setTimeout(function () {
      delete fetched[url];
      delete refreshing[url];
      document.querySelectorAll('[data-chart="trend"]').forEach(function (el) {
        if (el.dataset.url === url) render(el);
      });
    }, 1500);
  }

  const DRAW = { gap: drawGap, composition: drawComposition, trend: drawTrend };

  function render(el) {
    const draw = DRAW[el.dataset.chart];
    if (!draw) return;
    load(el).then(function (payload) {
      if (!payload) return;
      const option = draw(el, payload);
      if (!option) return;
      let chart = window.echarts.getInstanceByDom(el);
      if (!chart) {
        el.textContent = "";
        chart = window.echarts.init(el, null, { renderer: "canvas" });
        chart.on("click", function (params) {
          if (params.data && params.data.url) window.location.href = params.data.url;
        });
        charts.push(chart);
      }
      chart.setOption(option, true);
      chart.resize();
      if (el.dataset.chart === "trend") {
        noteTrend(el, payload);
        if (payload.pending) refreshLater(el.dataset.url);
      }
      el.dataset.rendered = payload.pending ? "partial" : "true";
    }).catch(function () {
      if (window.echarts.getInstanceByDom(el)) return;
      el.classList.add("dash-chart-empty");
      el.textContent = "图表数据加载失败，请刷新页面重试。";
    });
  }

  let resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(function () {
      charts.forEach(function (chart) { chart.resize(); });
    }, 120);
  });

  document.querySelectorAll("[data-chart]").forEach(render);
})();
