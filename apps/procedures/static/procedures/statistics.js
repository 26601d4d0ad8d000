// Draws the catalogue statistics from the JSON the page embeds (the CSP forbids inline scripts).
(function () {
  const source = document.getElementById("procedure-chart-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const draw = (id, series) => {
    const canvas = document.getElementById(id);
    if (canvas) new Chart(canvas, { type: "doughnut", data: { labels: series.labels, datasets: [{ data: series.values }] } });
  };
  draw("chart-legacy", data.legacy);
  draw("chart-online", data.online);
})();
