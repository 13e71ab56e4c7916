/* Draws the statistics charts from the page's json_script data (no inline script). */
(function () {
  "use strict";
  var source = document.getElementById("visits-chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var red = ["#b71c1c", "#e53935", "#f57c00", "#fbc02d", "#6d4c41", "#8e24aa", "#3949ab"];

  // Category labels never overlap (rotated or thinned on a phone) and long base names wrap in a
  // column of their own instead of being cut off at the left edge.
  function bar(series, horizontal, element) {
    var narrow = element.clientWidth < 576;
    var labelWidth = Math.min(180, Math.round(element.clientWidth * 0.38));
    var categoryAxis = {
      type: "category", data: series.labels,
      axisLabel: horizontal
        ? { interval: 0, width: labelWidth, overflow: "break", lineHeight: 14 }
        : { hideOverlap: true, rotate: narrow ? 45 : 0 },
      // Top to bottom in the table's order.
      inverse: horizontal
    };
    var valueAxis = { type: "value", axisLabel: { hideOverlap: true } };
    return {
      color: red,
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 24, top: 20, bottom: 8, containLabel: true },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: [{ type: "bar", data: series.visitors }]
    };
  }

  function sized(element, series) {
    // A horizontal bar chart grows with its rows: every name stays readable.
    element.style.height = Math.max(200, series.labels.length * 34 + 40) + "px";
  }

  // On a phone the labels keep to the chart's edges and wrap, never cut off at the left.
  function pie(series, element) {
    var narrow = element.clientWidth < 576;
    return {
      color: red,
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      series: [{
        type: "pie", radius: narrow ? ["22%", "42%"] : ["30%", "55%"],
        label: { alignTo: "edge", edgeDistance: 6, width: Math.round(element.clientWidth * (narrow ? 0.27 : 0.2)), overflow: "break", lineHeight: 14 },
        labelLine: { length: 8, length2: 0 },
        labelLayout: { hideOverlap: true },
        data: series.labels.map(function (label, i) { return { name: label, value: series.visitors[i] }; })
      }]
    };
  }

  function stacked(stack) {
    return {
      color: red,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 50, right: 20, top: 50, bottom: 30 },
      xAxis: { type: "category", data: stack.years },
      yAxis: { type: "value" },
      series: stack.series.map(function (s) { return { name: s.name, type: "bar", stack: "all", data: s.data }; })
    };
  }

  var builders = {
    year: function () { return data.stack ? stacked(data.stack) : bar(data.year, false, this); },
    month: function () { return bar(data.month, false, this); },
    category: function () { return pie(data.category, this); },
    kind: function () { return pie(data.kind, this); },
    source: function () { return pie(data.source, this); },
    county: function () { sized(this, data.county); return bar(data.county, true, this); },
    base: function () { sized(this, data.base); return bar(data.base, true, this); },
    activity: function () { sized(this, data.activity); return bar(data.activity, true, this); }
  };

  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var name = element.getAttribute("data-chart");
    if (!builders[name] || !data[name]) { return; }
    var option = builders[name].call(element);
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(option);
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
}());
