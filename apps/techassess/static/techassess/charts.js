// Charts of the technology assessment module; data come from json_script elements (no inline JS).
(function () {
  "use strict";
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  if (typeof Chart === "undefined") { return; }
  var radar = data("radar-data");
  var canvas = document.getElementById("radar-chart");
  if (radar && canvas) {
    var sets = [{ label: radar.enterpriseLabel, data: radar.enterprise, fill: true }];
    if (radar.sector && radar.sector.length) { sets.push({ label: radar.sectorLabel, data: radar.sector, fill: false }); }
    canvas.chart = new Chart(canvas, {
      type: "radar",
      data: { labels: radar.axes || radar.short, datasets: sets },
      options: { scales: { r: { min: 0, max: 100 } }, plugins: { tooltip: { callbacks: {
        title: function (items) { return radar.labels[items[0].dataIndex]; } } } } }
    });
    canvas.setAttribute("data-drawn", "1");
  }
  var agg = data("aggregate-data");
  var bars = document.getElementById("class-chart");
  if (agg && bars) {
    new Chart(bars, { type: "bar", data: { labels: agg.classes, datasets: [{ label: agg.label, data: agg.counts }] } });
  }
  var trend = document.getElementById("trend-chart");
  if (agg && trend) {
    new Chart(trend, { type: "line", data: { labels: agg.years, datasets: [{ label: agg.trendLabel, data: agg.trend }] },
      options: { scales: { y: { min: 0, max: 100 } } } });
  }
})();
