// Draws the incident statistics charts from the JSON the page embeds (the CSP forbids inline scripts).
(function () {
  const source = document.getElementById("itsec-incident-chart-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const draw = (id, type, labels, values, label) => {
    const canvas = document.getElementById(id);
    if (!canvas || !values || !values.length) return;
    new Chart(canvas, {
      type,
      data: { labels, datasets: [{ data: values, label: label || "" }] },
      options: {
        plugins: { legend: { display: type !== "bar" } },
        scales: type === "bar" ? { y: { beginAtZero: true, ticks: { precision: 0 } } } : undefined,
      },
    });
  };
  draw("chart-month", "bar", data.months, data.by_month, data.label_month);
  draw("chart-status", "doughnut", data.status_labels, data.status_values);
  draw("chart-severity", "doughnut", data.severity_labels, data.severity_values);
  draw("chart-category", "doughnut", data.category_labels, data.category_values);
})();
