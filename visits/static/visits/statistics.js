/* Draws the statistics charts from the page's json_script data (no inline script). */
(function () {
  "use strict";
  var source = document.getElementById("visits-chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var red = ["#b71c1c", "#e53935", "#f57c00", "#fbc02d", "#6d4c41", "#8e24aa", "#3949ab"];

  function bar(series, horizontal) {
    var categoryAxis = { type: "category", data: series.labels, axisLabel: { interval: 0, rotate: horizontal ? 0 : 30 } };
    var valueAxis = { type: "value" };
    return {
      color: red,
      tooltip: { trigger: "axis" },
      grid: { left: horizontal ? 140 : 50, right: 20, top: 20, bottom: horizontal ? 30 : 70 },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: [{ type: "bar", data: series.visitors }]
    };
  }

  function pie(series) {
    return {
      color: red,
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      series: [{
        type: "pie", radius: ["35%", "65%"],
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
    year: function () { return data.stack ? stacked(data.stack) : bar(data.year); },
    month: function () { return bar(data.month); },
    category: function () { return pie(data.category); },
    kind: function () { return pie(data.kind); },
    county: function () { return bar(data.county); },
    base: function () { return bar(data.base, true); },
    activity: function () { return bar(data.activity, true); }
  };

  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var name = element.getAttribute("data-chart");
    if (!builders[name] || !data[name]) { return; }
    if (name === "base") { element.classList.add("visits-chart-tall"); }
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(builders[name]());
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
}());
