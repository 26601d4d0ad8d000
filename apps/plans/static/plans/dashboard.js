// Draws the plan dashboard's charts from the JSON the page embeds (the CSP forbids inline scripts).
(function () {
  const source = document.getElementById("plans-dashboard-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const bars = (id, labels, sets) => {
    const canvas = document.getElementById(id);
    if (!canvas || !labels.length) return;
    new Chart(canvas, {
      type: "bar",
      data: { labels, datasets: sets },
      options: { scales: { y: { beginAtZero: true } } },
    });
  };
  const t = data.targets, b = data.budget, y = data.years;
  bars("chart-targets", t.labels, [
    { label: t.label_target, data: t.target },
    { label: t.label_actual, data: t.actual },
  ]);
  bars("chart-budget", b.labels, [
    { label: b.label_planned, data: b.planned },
    { label: b.label_disbursed, data: b.disbursed },
  ]);
  bars("chart-years", y.labels, [
    { label: b.label_planned, data: y.planned },
    { label: b.label_disbursed, data: y.disbursed },
  ]);
})();
