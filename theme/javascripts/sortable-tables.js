/* Sortable tables for the Peer Review Archive: progressive enhancement, no dependencies.
 * Every <table class="pra-sortable"> gets a button in each header cell; a cell's sort key
 * is its data-sort attribute or its text; a header with data-type="number" sorts numbers.
 * Without JavaScript the tables are still complete, in a sensible order. */
(function () {
  "use strict";

  function key(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    var value = cell.getAttribute("data-sort");
    return (value !== null ? value : cell.textContent).trim();
  }

  function sortBy(table, index, header) {
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var numeric = header.getAttribute("data-type") === "number";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      cell.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var collator = new Intl.Collator("en-GB", { numeric: true, sensitivity: "base" });
    rows.sort(function (a, b) {
      var x = key(a, index), y = key(b, index);
      var order = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : collator.compare(x, y);
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function enhance(table) {
    if (table.getAttribute("data-sortable") === "ready" || !table.tHead || !table.tBodies[0]) return;
    table.setAttribute("data-sortable", "ready");
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "pra-sort";
      while (header.firstChild) button.appendChild(header.firstChild);
      header.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, index, header); });
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table.pra-sortable"), enhance);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
