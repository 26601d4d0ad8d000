// Draws the dossier statistics charts from the JSON the page embeds (the CSP forbids inline scripts).
(function () {
  const source = document.getElementById("dossier-chart-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const draw = (id, type, labels, values) => {
    const canvas = document.getElementById(id);
    if (canvas) new Chart(canvas, { type, data: { labels, datasets: [{ data: values, label: "" }] }, options: { plugins: { legend: { display: type !== "bar" } } } });
  };
  draw("chart-month", "bar", data.months, data.by_month);
  draw("chart-level", "doughnut", data.levels, data.by_level);
  draw("chart-state", "doughnut", data.states, data.by_state);
})();
