// Table questions of the survey (e.g. the equipment list): add and remove rows in the browser.
// Inputs are named <question>-<row>-<column>; the server reads whatever rows arrive.
(function () {
  "use strict";
  function renumber(box) {
    var rows = box.querySelectorAll("tbody [data-table-row]");
    rows.forEach(function (row, i) {
      var cell = row.querySelector("[data-row-number]");
      if (cell) { cell.textContent = String(i + 1); }
    });
    var count = box.querySelector("[data-table-count]");
    if (count) { count.textContent = String(rows.length); }
    var add = box.querySelector("[data-table-add]");
    if (add) { add.disabled = rows.length >= parseInt(box.getAttribute("data-max-rows") || "300", 10); }
  }
  function nextIndex(box) {
    var max = -1;
    box.querySelectorAll("tbody [name]").forEach(function (input) {
      var parts = input.name.split("-");
      var n = parseInt(parts[parts.length - 2], 10);
      if (!isNaN(n) && n > max) { max = n; }
    });
    return max + 1;
  }
  document.querySelectorAll(".techassess-table").forEach(function (box) {
    var template = box.querySelector("template");
    var body = box.querySelector("tbody");
    box.addEventListener("click", function (event) {
      var add = event.target.closest("[data-table-add]");
      var remove = event.target.closest("[data-table-remove]");
      if (add && template) {
        var index = String(nextIndex(box));
        var html = template.innerHTML.split("__index__").join(index);
        body.insertAdjacentHTML("beforeend", html);
        renumber(box);
        var first = body.lastElementChild.querySelector("input, select");
        if (first) { first.focus(); }
      } else if (remove) {
        remove.closest("[data-table-row]").remove();
        renumber(box);
        add = box.querySelector("[data-table-add]");
        if (add) { add.focus(); }
      }
    });
    renumber(box);
  });
})();
