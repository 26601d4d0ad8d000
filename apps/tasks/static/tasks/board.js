// Leader's board charts: data comes from the json_script element "board-data".
(function () {
  "use strict";
  var source = document.getElementById("board-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colors = ["#206bc4", "#d63939", "#f59f00", "#2fb344", "#f76707"];
  var units = document.getElementById("chart-units");
  if (units) {
    new Chart(units, {
      type: "bar",
      data: {
        labels: data.units,
        datasets: data.states.map(function (state, i) {
          return { label: data.labels[i], data: data.series[state], backgroundColor: colors[i] };
        })
      },
      options: { responsive: true, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }
  var status = document.getElementById("chart-status");
  if (status) {
    new Chart(status, {
      type: "doughnut",
      data: { labels: data.labels, datasets: [{ data: data.totals, backgroundColor: colors }] },
      options: { responsive: true }
    });
  }
})();
