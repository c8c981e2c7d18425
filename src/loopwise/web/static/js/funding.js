/* The funding-gap page: send a funder's portfolio file (CSV or XLSX, the raw bytes) to
 * POST /api/maps/{slug}/funding-gaps and show its organisations on each factor and the loops
 * it touches and misses. Nothing is stored. All text goes in through textContent. */
(function () {
  "use strict";
  var box = document.getElementById("portfolio-upload");
  var table = document.getElementById("funding-table");
  if (!box || !table) return;
  box.hidden = false;
  var form = document.getElementById("portfolio-form");
  var input = document.getElementById("portfolio-file");
  var statusEl = document.getElementById("portfolio-status");
  var errorEl = document.getElementById("portfolio-error");
  var result = document.getElementById("portfolio-result");

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (attrs) Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function clearPortfolio() {  // back to the map's own organisations
    result.hidden = true;
    document.body.removeAttribute("data-portfolio-ready");
    document.getElementById("caption-portfolio").textContent = "";
    table.querySelectorAll("[data-column=portfolio], .portfolio-cell").forEach(function (c) { c.hidden = true; });
    table.querySelectorAll(".portfolio-note").forEach(function (n) { n.remove(); });
  }

  function fail(message) {
    clearPortfolio();
    statusEl.textContent = "";
    errorEl.textContent = "Could not read the portfolio: " + message;
  }

  function show(doc, fileName) {
    var labels = {};
    doc.factors.forEach(function (f) { labels[f.factor] = f.label; });
    var orgs = doc.portfolio.organisations;
    var currency = doc.currency || "GBP";
    function money(n) { return currency + " " + Math.round(n).toLocaleString("en-GB"); }
    function grants(o) {  // "GBP 120,000 in 2024" for each of its figures in the currency
      return (o.funding || []).filter(function (f) { return (f.currency || "GBP") === currency; })
        .map(function (f) { return money(f.amount) + " in " + f.year; });
    }
    var actors = {};  // factor id -> the portfolio's organisations acting on it
    orgs.forEach(function (o) {
      (o.acts_on || []).forEach(function (a) {
        var list = (actors[a.factor] = actors[a.factor] || []);
        if (list.indexOf(o) < 0) list.push(o);
      });
    });
    var byFactor = {};
    doc.factors.forEach(function (f) { byFactor[f.factor] = f; });

    table.querySelectorAll("[data-column=portfolio]").forEach(function (th) { th.hidden = false; });
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var id = row.dataset.factor;
      var cell = row.querySelector(".portfolio-cell");
      var mine = actors[id] || [];
      var total = (byFactor[id] && byFactor[id].portfolio_funding) || 0;
      cell.hidden = false;
      cell.dataset.value = String(total || mine.length);
      cell.textContent = "";
      if (!mine.length) {
        cell.textContent = "none";
      } else {
        var list = el("ul", null, { "class": "portfolio-orgs" });
        mine.forEach(function (o) {
          var item = el("li");
          item.appendChild(el("strong", o.name));
          var figures = grants(o);
          if (figures.length) item.appendChild(document.createTextNode(": " + figures.join("; ")));
          list.appendChild(item);
        });
        cell.appendChild(list);
        if (total) cell.appendChild(el("span", "Your grants here: " + money(total), { "class": "portfolio-total" }));
      }
      var gapCell = row.querySelector(".gap-cell");
      var note = gapCell.querySelector(".portfolio-note");
      if (note) note.remove();
      if (row.classList.contains("gap") && mine.length) {
        gapCell.appendChild(el("span", " (your portfolio acts here)", { "class": "portfolio-note" }));
      }
    });
    document.getElementById("caption-portfolio").textContent = ", with " + fileName;

    var p = doc.portfolio;
    var named = p.curated_touched.length + p.curated_missed.length;
    document.getElementById("portfolio-summary").textContent =
      plural(orgs.length, "organisation") + " from " + fileName + " act on " +
      plural(p.factors.length, "factor") + ". They touch " + p.curated_touched.length + " of the " +
      named + " named loops and " + p.computed_touched + " of the " +
      (p.computed_touched + p.computed_missed) + " feedback loops found in the map" +
      (p.loops_truncated ? " (the loop search stopped at its limit)" : "") + "." +
      (p.total_funding ? " Your grants in the file: " + money(p.total_funding) + " in total." : "");

    function fillLoops(id, loops, empty) {
      var list = document.getElementById(id);
      list.textContent = "";
      if (!loops.length) { list.appendChild(el("li", empty)); return; }
      loops.forEach(function (c) {
        var li = el("li");
        li.appendChild(el("strong", c.name));
        if (c.kind) li.appendChild(document.createTextNode(" (" + (c.kind === "R" ? "reinforcing" : c.kind === "B" ? "balancing" : c.kind) + ")"));
        if (c.touched_factors.length) {
          li.appendChild(document.createTextNode(": through " +
            c.touched_factors.map(function (f) { return labels[f] || f; }).join(", ")));
        }
        list.appendChild(li);
      });
    }
    fillLoops("loops-touched", p.curated_touched, "none of the named loops");
    fillLoops("loops-missed", p.curated_missed, "none: it touches every named loop");
    var gaps = document.getElementById("gap-missed");
    gaps.textContent = "";
    if (!p.gap_factors.length) gaps.appendChild(el("li", "none"));
    p.gap_factors.forEach(function (f) { gaps.appendChild(el("li", labels[f] || f)); });
    result.hidden = false;
    statusEl.textContent = "Compared " + fileName + " with the map.";
    document.body.setAttribute("data-portfolio-ready", "true");
  }

  form.addEventListener("submit", function (evt) {
    evt.preventDefault();
    errorEl.textContent = "";
    var file = input.files && input.files[0];
    if (!file) { fail("choose a CSV or XLSX file first."); return; }
    statusEl.textContent = "Reading " + file.name + "\u2026";
    var url = box.dataset.apiUrl + "?filename=" + encodeURIComponent(file.name);
    file.arrayBuffer().then(function (bytes) {
      return fetch(url, { method: "POST", body: bytes, credentials: "same-origin",
                          headers: { "Content-Type": "application/octet-stream" } });
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) throw new Error(body.detail || ("the server answered " + response.status));
        return body;
      });
    }).then(function (doc) { show(doc, file.name); })
      .catch(function (err) { fail(String(err.message || err)); });
  });
})();
