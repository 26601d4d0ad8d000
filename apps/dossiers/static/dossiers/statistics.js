// Draws the dossier statistics charts from the JSON the page embeds (the CSP forbids inline scripts).
(function () {
  const source = document.getElementById("dossier-chart-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const draw = (id, type, labels, values) => {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    new Chart(canvas, {
      type,
      data: { labels, datasets: [{ data: values, label: "" }] },
      options: { plugins: { legend: { display: type !== "bar" } }, indexAxis: id === "chart-field" ? "y" : "x" },
    });
  };
  draw("chart-period", "bar", data.periods, data.by_period);
  draw("chart-level", "doughnut", data.levels, data.by_level);
  draw("chart-channel", "doughnut", data.channels, data.by_channel);
  draw("chart-outcome", "bar", data.outcomes, data.by_outcome);
  draw("chart-field", "bar", data.fields, data.by_field);
})();
