/* Sortable tables: each column header holds a button; aria-sort says the current order.
 * The order is kept in the page's URL (?sort=COLUMN&order=asc|desc, COLUMN the header's
 * data-column), so Back, a reload or a shared link shows the table sorted the same way. */
(function () {
  "use strict";
  function sortBy(table, th, column, ascending) {
    var headers = table.querySelectorAll("thead th");
    headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var numeric = th.dataset.kind === "num";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[column].dataset.value, y = b.cells[column].dataset.value;
      var order = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function remember(key, ascending) {
    try {
      var url = new URL(window.location.href);
      url.searchParams.set("sort", key);
      url.searchParams.set("order", ascending ? "asc" : "desc");
      window.history.replaceState(window.history.state, "", url.toString());
    } catch (err) { /* file:// pages may refuse: the table is still sorted */ }
  }

  var params = new URLSearchParams(window.location.search);
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var headers = table.querySelectorAll("thead th");
    headers.forEach(function (th, column) {
      var button = th.querySelector("button");
      if (!button) return;
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        sortBy(table, th, column, ascending);
        if (th.dataset.column) remember(th.dataset.column, ascending);
      });
      if (th.dataset.column && params.get("sort") === th.dataset.column) {
        sortBy(table, th, column, params.get("order") !== "desc");
      }
    });
  });
})();
