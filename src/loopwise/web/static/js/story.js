/* A story step: the whole map drawn with the step's factors and links highlighted and the
 * rest dimmed (showcase, not hide), fitted to the step; the arrow keys move between steps
 * (the Previous and Next links), and "What if this rose?" (js/loop_play.js) colours the
 * step's factors as the effect spreads. Works from file:// (the graph comes as a script). */
(function () {
  "use strict";
  var box = document.getElementById("story-canvas");
  var status = document.getElementById("story-status");
  var heading = document.getElementById("step");
  if (!box) return;
  var focus = JSON.parse(box.dataset.focus);

  // the arrow keys move between steps, except where they already mean something
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(target.tagName) ||
        (target.closest && target.closest(".table-wrap")))) return;
    var rel = event.key === "ArrowRight" ? "next" : event.key === "ArrowLeft" ? "prev" : null;
    var link = rel && document.querySelector('nav.story-nav a[rel="' + rel + '"]');
    if (!link) return;
    event.preventDefault();
    window.location.href = link.href;
  });
  if (heading && window.location.hash === "#step") heading.focus({ preventScroll: false });
  var count = document.getElementById("step-count");
  if (status && count) {
    status.textContent = count.textContent.trim() + ": " + heading.textContent.trim() +
      ". The left and right arrow keys move between steps.";
  }

  function load() {
    if (window.loopwiseGraph) return Promise.resolve(window.loopwiseGraph);
    return fetch(box.dataset.graphUrl, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("could not load the map (" + r.status + ")");
      return r.json();
    });
  }
  if (!window.cytoscape) return;
  load().then(draw).catch(function (err) { if (status) status.textContent = String(err.message || err); });

  function draw(data) {
    var colours = {};
    data.themes.forEach(function (t) { colours[t.id] = t.colour; });
    var onFactor = {}, onLink = {};
    focus.factors.forEach(function (id) { onFactor[id] = true; });
    focus.links.forEach(function (id) { onLink[id] = true; });
    var SIGN = { "+": "+", "-": "\u2212" };
    var elements = [];
    data.factors.forEach(function (f) {
      elements.push({ group: "nodes", data: { id: f.id, label: f.label, colour: colours[f.theme] || "#999",
        w: f.w || 110, h: f.h || 40 }, position: { x: f.x, y: f.y }, classes: onFactor[f.id] ? "on" : "dim" });
    });
    data.links.forEach(function (l) {
      var cls = l.polarity === "+" ? "plus" : l.polarity === "-" ? "minus" : "unknown";
      elements.push({ group: "edges", data: { id: "e:" + l.id, source: l.from, target: l.to,
        sign: SIGN[l.polarity] || "?" }, classes: cls + (onLink[l.id] ? " on" : " dim") });
    });
    var font = "Liberation Sans, Arial, Helvetica, sans-serif";
    var cy = window.cytoscape({
      container: box, elements: elements, layout: { name: "preset" },
      minZoom: 0.05, maxZoom: 3, userZoomingEnabled: true, boxSelectionEnabled: false,
      autoungrabify: true,
      style: [
        { selector: "node", style: { "shape": "round-rectangle", "width": "data(w)", "height": "data(h)",
          "background-color": "#fff", "border-width": 2, "border-color": "data(colour)", "label": "data(label)",
          "font-family": font, "font-size": 12, "text-wrap": "wrap", "text-max-width": "data(w)",
          "text-valign": "center", "text-halign": "center", "color": "#111" } },
        { selector: "node.on", style: { "border-width": 4, "border-color": "#111", "font-weight": "bold", "z-index": 10 } },
        { selector: "node.dim", style: { "opacity": 0.22, "label": "" } },
        { selector: "edge", style: { "width": 1.5, "curve-style": "bezier", "arrow-scale": 1.1,
          "target-label": "data(sign)", "target-text-offset": 16, "font-size": 14, "font-weight": "bold",
          "font-family": font, "text-background-color": "#fff", "text-background-opacity": 1 } },
        { selector: "edge.plus", style: { "line-color": "#0b4f96", "target-arrow-color": "#0b4f96", "target-arrow-shape": "triangle", "color": "#0b4f96" } },
        { selector: "edge.minus", style: { "line-color": "#9e1f18", "target-arrow-color": "#9e1f18", "target-arrow-shape": "tee", "color": "#9e1f18" } },
        { selector: "edge.unknown", style: { "line-color": "#555", "target-arrow-color": "#555", "target-arrow-shape": "circle", "color": "#333" } },
        { selector: "edge.on", style: { "width": 4, "z-index": 10 } },
        { selector: "edge.dim", style: { "opacity": 0.1, "target-label": "" } }
      ]
    });
    window.loopwiseStoryCy = cy;
    function fit() { cy.fit(cy.elements(".on"), 40); if (cy.zoom() > 1.6) { cy.zoom(1.6); cy.center(cy.elements(".on")); } }
    fit();
    window.addEventListener("resize", fit);
    cy.on("tap", "node", function (evt) {
      window.location.href = box.dataset.factorUrl.replace("__ID__", encodeURIComponent(evt.target.id()));
    });
    document.addEventListener("loopwise:play", function (event) {
      var d = event.detail;
      d.factors.forEach(function (id, i) {
        var v = d.values[i], node = cy.getElementById(id), a = Math.min(Math.abs(v) / 0.4, 1) * 0.55;
        if (!node.length) return;
        var still = Math.abs(v) < 0.005;
        node.style({ "background-color": still ? "#fff" : v > 0 ? "#0b4f96" : "#9e1f18",
          "background-opacity": still ? 1 : Math.max(a, 0.08), "color": a > 0.4 ? "#fff" : "#111" });
      });
    });
  }
})();
