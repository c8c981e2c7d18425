/* "What if this rose?" on a loop page or a story step: step through the effect table, colouring the ring's
 * boxes (blue up, red down, stronger for bigger changes) and saying each step in words in a
 * live region. The numbers are all in the table already; this only shows them in turn. Each
 * step is also sent as a "loopwise:play" event, which a story step's canvas listens to. */
(function () {
  "use strict";
  var table = document.getElementById("play-table");
  if (!table) return;
  var factors = JSON.parse(table.dataset.factors), steps = JSON.parse(table.dataset.steps);
  var status = document.getElementById("play-status");
  var labels = Array.prototype.map.call(table.querySelectorAll("tbody th"), function (th) { return th.textContent; });
  var step = 0, timer = null;

  function word(v) {
    if (Math.abs(v) < 0.005) return null;
    return (v > 0 ? "up " : "down ") + Math.abs(v).toFixed(2);
  }
  function show(n) {
    step = n;
    var values = n ? steps[n - 1] : factors.map(function () { return 0; });
    factors.forEach(function (id, i) {
      var rect = document.querySelector('figure.loop-ring rect[data-key="' + id + '"]');
      if (!rect) return;
      var v = values[i], a = Math.min(Math.abs(v) / 0.4, 1) * 0.45;
      rect.style.fill = Math.abs(v) < 0.005 ? "" : (v > 0 ? "rgba(11,79,150," : "rgba(158,31,24,") + a.toFixed(2) + ")";
    });
    table.querySelectorAll("td.now, th.now").forEach(function (c) { c.classList.remove("now"); });
    if (n) table.querySelectorAll("tr").forEach(function (tr) { var c = tr.children[n]; if (c) c.classList.add("now"); });
    var changed = [];
    values.forEach(function (v, i) { var w = word(v); if (w) changed.push(labels[i] + " " + w); });
    status.textContent = "Step " + n + " of " + steps.length + ": " +
      (changed.length ? changed.join("; ") + "." : "nothing has changed yet.");
    // a story step colours its canvas from this (js/story.js)
    table.dispatchEvent(new CustomEvent("loopwise:play", { bubbles: true,
      detail: { step: n, factors: factors, values: values } }));
  }
  function stop() { if (timer) { clearInterval(timer); timer = null; } }
  document.getElementById("play-step").addEventListener("click", function () { stop(); show(step >= steps.length ? 0 : step + 1); });
  document.getElementById("play-reset").addEventListener("click", function () { stop(); show(0); });
  document.getElementById("play-start").addEventListener("click", function () {
    stop();
    show(0);
    var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    timer = setInterval(function () {
      if (step >= steps.length) { stop(); return; }
      show(step + 1);
    }, reduce ? 2500 : 1100);
  });
})();
