/* loopwise map canvas: cytoscape.js with filters, focus, search and shareable views.
 * All user text goes into the page through textContent (never innerHTML); cytoscape draws
 * labels on a canvas, so they are never parsed as HTML. */
(function () {
  "use strict";
  var root = document.getElementById("explorer");
  if (!root) return;
  var BIG = 1500;
  var statusEl = document.getElementById("status");
  var form = document.getElementById("controls");
  var factorUrl = function (id) { return root.dataset.factorUrl.replace("__ID__", encodeURIComponent(id)); };

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (attrs) Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function readState() {
    var params = new URLSearchParams(location.search);
    var hash = new URLSearchParams(location.hash.replace(/^#/, ""));
    hash.forEach(function (value, key) { params.set(key, value); });
    var list = function (key) { return (params.get(key) || "").split(",").filter(Boolean); };
    return {
      q: params.get("q") || "", focus: params.get("focus") || "",
      depth: parseInt(params.get("depth") || "2", 10) || 2,
      direction: params.get("direction") || "both",
      themes: list("themes"), stages: list("stages"), tags: list("tags"),
      kinds: list("kinds"), groups: list("groups"), gaps: params.get("gaps") === "1"
    };
  }

  function formState() {
    var checked = function (name) {
      return Array.prototype.map.call(form.querySelectorAll('input[name="' + name + '"]:checked'),
        function (i) { return i.value; });
    };
    return {
      q: form.q.value.trim(), focus: form.focus.value, depth: parseInt(form.depth.value, 10),
      direction: form.direction.value, themes: checked("themes"), stages: checked("stages"),
      tags: checked("tags"), kinds: checked("kinds"), groups: checked("groups"),
      gaps: !!(form.gaps && form.gaps.checked)
    };
  }

  function applyToForm(state) {
    form.q.value = state.q; form.focus.value = state.focus; form.depth.value = String(state.depth);
    form.direction.value = state.direction;
    if (form.gaps) form.gaps.checked = state.gaps;
    ["themes", "stages", "tags", "kinds", "groups"].forEach(function (name) {
      form.querySelectorAll('input[name="' + name + '"]').forEach(function (input) {
        input.checked = state[name].indexOf(input.value) >= 0;
      });
    });
  }

  function stateHash(state) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    if (state.focus) { params.set("focus", state.focus); params.set("depth", state.depth); params.set("direction", state.direction); }
    ["themes", "stages", "tags", "kinds", "groups"].forEach(function (k) { if (state[k].length) params.set(k, state[k].join(",")); });
    if (state.gaps) params.set("gaps", "1");
    return params.toString();
  }

  function load() {
    if (window.loopwiseGraph) return Promise.resolve(window.loopwiseGraph);
    return fetch(root.dataset.graphUrl).then(function (r) {
      if (!r.ok) throw new Error("could not load the map (" + r.status + ")");
      return r.json();
    });
  }

  // the funding gaps (high leverage, no organisation), fetched once when first shown;
  // a published static site has them in data/gaps.js (browsers refuse fetch on file://)
  var gapIds = null, gapsLoading = null;
  function loadGaps() {
    if (gapIds) return Promise.resolve(gapIds);
    if (root.dataset.gapsScript && Array.isArray(window.loopwiseGaps)) {
      gapIds = {};
      window.loopwiseGaps.forEach(function (id) { gapIds[id] = true; });
      return Promise.resolve(gapIds);
    }
    if (!root.dataset.gapsUrl) { gapIds = {}; return Promise.resolve(gapIds); }
    if (!gapsLoading) {
      gapsLoading = fetch(root.dataset.gapsUrl, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error("could not load the funding gaps (" + r.status + ")");
        return r.json();
      }).then(function (doc) {
        gapIds = {};
        doc.factors.forEach(function (f) { if (f.gap) gapIds[f.factor] = true; });
        return gapIds;
      });
    }
    return gapsLoading;
  }

  // The server packs the theme regions twice: for a landscape screen and for a portrait one
  // (a phone), where the whole map shows the themes' names; take the one that fits.
  function choosePacking(data, container) {
    var p = data.portrait;
    if (!p || container.clientWidth >= container.clientHeight) return;
    data.factors.forEach(function (f, i) { f.x = p.x[i]; f.y = p.y[i]; });
    data.regions = p.regions;
  }

  load().then(start).catch(function (err) { statusEl.textContent = String(err.message || err); });

  function start(data) {
    var big = data.factors.length > BIG;
    var themes = {};
    data.themes.forEach(function (t) { themes[t.id] = t; });
    var byId = {};
    data.factors.forEach(function (f) { byId[f.id] = f; });
    // one polarity encoding everywhere (canvas, embed, briefs, published site): "+" and an
    // arrowhead for "increases", "−" and a bar head for "decreases", "?" when unknown,
    // "‖" in the middle of a link with a delay; the colour only repeats the sign
    var SIGN = { "+": "+", "-": "\u2212", "?": "?" };
    var FONT = 12, READABLE = 11;  // model font size; smallest size a label is drawn at (px)
    function nodeData(f) {
      var t = themes[f.theme] || { colour: "#DDDDDD", shape: "round-rectangle" };
      var w = f.w || 110, h = f.h || 40;
      return { id: f.id, label: f.label, gapLabel: "\u25c6 " + f.label, colour: t.colour,
        w: w, h: h, tw: w, gtw: w + 12 };  // gtw: room for "◆ " without an extra line  // cytoscape counts a trailing space when it wraps
    }
    function polarityClass(l) { return l.polarity === "+" ? "plus" : l.polarity === "-" ? "minus" : "unknown"; }
    function edgeClasses(l) { return polarityClass(l) + (l.delay ? " delay" : ""); }
    function edgeData(l) {
      return { id: "e:" + l.id, source: l.from, target: l.to, sign: SIGN[l.polarity] || "?", mid: l.delay ? "\u2016" : "" };
    }
    function edgeElement(l) { return { group: "edges", data: edgeData(l), classes: edgeClasses(l) }; }
    // the width of a label's longest word in ems of bold sans-serif (roughly)
    function longestWordEm(text) {
      return Math.max.apply(null, text.split(/\s+/).map(function (w) { return w.length * 0.62; }).concat([1]));
    }
    function regionElements() {
      return (data.regions || []).map(function (r) {
        var t = themes[r.theme] || { colour: "#DDDDDD", label: "No theme" };
        return { group: "nodes", data: { id: "theme:" + r.theme, label: t.label, colour: t.colour,
          w: r.w, h: r.h, tw: r.w - 12, fs: 13, tm: (r.th || 20) + 4, em: longestWordEm(t.label) }, position: { x: r.x + r.w / 2, y: r.y + r.h / 2 },
          classes: "region", selectable: false, grabbable: false };
      });
    }
    function elementsOf(positions, withEdges) {
      var list = regionElements();
      data.factors.forEach(function (f) {
        list.push({ group: "nodes", data: nodeData(f), classes: zoomedOut ? "factor overview" : "factor",
          position: positions[f.id] || { x: f.x, y: f.y } });
      });
      if (withEdges) data.links.forEach(function (l) { list.push(linkElement(l)); });
      return list;
    }
    function linkElement(l) {
      var edge = edgeElement(l);
      if (zoomedOut) edge.classes += " overview";
      return edge;
    }
    var container = document.getElementById("cy");
    choosePacking(data, container);
    // whether the first view (the whole map fitted) is zoomed out past readable labels: the
    // elements are created with that state, so a big map is not restyled right after
    var startsZoomedOut = (function () {
      if (!data.factors.length) return false;
      var x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
      data.factors.forEach(function (f) {
        var w = (f.w || 110) / 2, h = (f.h || 40) / 2;
        x1 = Math.min(x1, f.x - w); x2 = Math.max(x2, f.x + w); y1 = Math.min(y1, f.y - h); y2 = Math.max(y2, f.y + h);
      });
      var zoom = Math.min((container.clientWidth - 16) / (x2 - x1 + 40), (container.clientHeight - 16) / (y2 - y1 + 60));
      return zoom * FONT < READABLE;
    })();
    var zoomedOut = startsZoomedOut;  // kept up to date by restyleForZoom
    // A big map first seen whole draws its factors and themes but not its links: thousands of
    // links at that zoom are a grey mass that costs most of the time to first view. They are
    // added the first time the view zooms in to readable labels (addDeferredLinks).
    var linksDeferred = big && startsZoomedOut;
    var elements = elementsOf({}, !linksDeferred);
    var cy = window.cytoscape({
      container: document.getElementById("cy"),
      elements: elements,
      layout: { name: "preset" },
      minZoom: 0.02, maxZoom: 4,
      pixelRatio: big ? 1 : "auto",
      hideEdgesOnViewport: big, textureOnViewport: big,
      motionBlur: false,
      style: [
        { selector: "node.factor", style: {
          "shape": "round-rectangle", "width": "data(w)", "height": "data(h)",
          "background-color": "#fff", "border-width": 2.5, "border-color": "data(colour)",
          "label": "data(label)", "font-family": "Liberation Sans, Arial, Helvetica, sans-serif",
          "font-size": FONT, "text-wrap": "wrap", "text-max-width": "data(tw)",
          "text-valign": "center", "text-halign": "center", "color": "#111",
          "min-zoomed-font-size": READABLE } },
        { selector: "node.region", style: {
          "shape": "round-rectangle", "width": "data(w)", "height": "data(h)",
          "background-color": "data(colour)", "background-opacity": 0.13, "border-width": 1,
          "border-color": "data(colour)", "border-opacity": 0.6,
          "label": "data(label)", "font-family": "Liberation Sans, Arial, Helvetica, sans-serif",
          "font-size": "data(fs)", "font-weight": "bold", "color": "#111", "text-wrap": "wrap",
          "text-max-width": "data(tw)", "text-valign": "top", "text-halign": "center",
          "text-margin-y": "data(tm)", "min-zoomed-font-size": READABLE, "events": "no" } },
        { selector: "node.region.overview", style: {
          "text-valign": "center", "text-margin-y": 0, "text-background-color": "#fff",
          "text-background-opacity": 0.92, "text-background-padding": 3, "text-background-shape": "round-rectangle",
          "background-opacity": 0.18, "z-index": 20, "events": "yes" } },

        { selector: "edge", style: {
          "width": 1.6, "curve-style": big ? "haystack" : "bezier", "arrow-scale": 1.1,
          "font-family": "Liberation Sans, Arial, Helvetica, sans-serif",
          "target-label": big ? "" : "data(sign)", "target-text-offset": 16, "font-size": 13, "font-weight": "bold",
          "text-background-color": "#fff", "text-background-opacity": 1, "text-background-padding": 1,
          "text-background-shape": "round-rectangle", "min-zoomed-font-size": READABLE } },
        { selector: "edge.plus", style: { "line-color": "#0b4f96", "target-arrow-color": "#0b4f96",
          "target-arrow-shape": "triangle", "color": "#0b4f96" } },
        { selector: "edge.minus", style: { "line-color": "#9e1f18", "target-arrow-color": "#9e1f18",
          "target-arrow-shape": "tee", "color": "#9e1f18" } },
        { selector: "edge.unknown", style: { "line-color": "#555", "target-arrow-color": "#555",
          "target-arrow-shape": "circle", "color": "#333" } },
        { selector: "edge.delay", style: { "label": "data(mid)", "font-size": 15 } },
        { selector: ".hidden", style: { "display": "none" } },
        { selector: "node.match", style: { "border-width": 5, "border-color": "#000" } },
        { selector: "node:selected", style: { "border-width": 5, "border-color": "#e07000" } },
        { selector: "node.focus", style: { "border-width": 5, "border-color": "#000", "border-style": "double" } },
        { selector: "node.gap", style: { "border-width": 4, "border-color": "#b00020", "border-style": "dashed",
          "label": "data(gapLabel)", "text-max-width": "data(gtw)", "color": "#b00020" } },
        { selector: "node.dim", style: { "opacity": 0.25 } },
        { selector: "edge.dim", style: { "opacity": 0.12 } },
        // zoomed out (see restyleForZoom): no factor label, link sign or delay mark is drawn
        { selector: "node.factor.overview", style: { "label": "", "opacity": 0.6 } },
        { selector: "edge.overview", style: { "label": "", "target-label": "" } }
      ]
    });
    window.loopwiseCy = cy;

    var tooltip = document.getElementById("tooltip");
    cy.on("mouseover", "node.factor", function (evt) {
      var p = evt.renderedPosition || evt.target.renderedPosition();
      tooltip.textContent = evt.target.data("label");
      tooltip.hidden = false;
      tooltip.style.left = (p.x + 12) + "px";
      tooltip.style.top = (p.y + 12) + "px";
    });
    cy.on("mouseout", "node", function () { tooltip.hidden = true; });
    cy.on("tap", "node.factor", function (evt) { showDetails(evt.target.id()); });

    function linksOf(id, dir) {
      return data.links.filter(function (l) { return dir === "out" ? l.from === id : l.to === id; });
    }

    function showDetails(id) {
      var box = document.getElementById("details");
      if (!box) { window.open(factorUrl(id), "_blank", "noopener"); return; }
      var f = byId[id];
      box.textContent = "";
      box.appendChild(el("h3", f.label));
      if (f.theme && themes[f.theme]) box.appendChild(el("p", "Theme: " + themes[f.theme].label));
      [["out", "Drives"], ["in", "Driven by"]].forEach(function (pair) {
        var links = linksOf(id, pair[0]);
        if (!links.length) return;
        box.appendChild(el("p", pair[1] + ":"));
        var ul = el("ul");
        links.forEach(function (l) {
          var other = pair[0] === "out" ? l.to : l.from;
          var li = el("li", (l.polarity === "+" ? "+ increases " : "\u2212 decreases ") + (pair[0] === "out" ? "" : "(from) "),
                      { "data-link": l.id });
          var a = el("a", byId[other].label, { href: factorUrl(other) });
          li.appendChild(a);
          if (l.delay) li.appendChild(document.createTextNode(" (delayed)"));
          ul.appendChild(li);
        });
        box.appendChild(ul);
      });
      var more = el("a", "Open the factor page with its evidence", { href: factorUrl(id), id: "open-factor" });
      box.appendChild(el("p")).appendChild(more);
      cy.$(":selected").unselect();
      cy.getElementById(id).select();
      document.dispatchEvent(new CustomEvent("loopwise:details", { detail: { factor: id } }));
    }

    function render(state, fit) {
      if (state.gaps && !gapIds) {
        statusEl.textContent = "Loading the funding gaps\u2026";
        loadGaps().then(function () { render(readStateOr(state), fit); })
          .catch(function (err) { statusEl.textContent = String(err.message || err); });
        state = Object.assign({}, state, { gaps: false });
      }
      var gapOn = state.gaps && !!gapIds;
      var nodeOk = {};
      data.factors.forEach(function (f) {
        nodeOk[f.id] = (!state.themes.length || state.themes.indexOf(f.theme) >= 0) &&
          (!state.stages.length || state.stages.indexOf(f.stage) >= 0) &&
          (!state.tags.length || (f.tags || []).some(function (t) { return state.tags.indexOf(t) >= 0; }));
      });
      var linkOk = {};
      data.links.forEach(function (l) {
        linkOk[l.id] = nodeOk[l.from] && nodeOk[l.to] &&
          (!state.kinds.length || l.kinds.some(function (k) { return state.kinds.indexOf(k) >= 0; })) &&
          (!state.groups.length || (l.subgroups || []).some(function (g) { return state.groups.indexOf(g) >= 0; }));
      });
      var shown = nodeOk, evidenceOn = !!(state.kinds.length || state.groups.length);
      if (evidenceOn) {
        // an evidence filter is about links: show only the factors those links connect
        shown = {};
        data.links.forEach(function (l) {
          if (linkOk[l.id]) { shown[l.from] = true; shown[l.to] = true; }
        });
        if (state.focus && byId[state.focus]) shown[state.focus] = true;
      }
      if (state.focus && byId[state.focus]) {
        shown = {}; shown[state.focus] = true;
        var frontier = [state.focus];
        evidenceOn = false;  // a focus shows only its neighbourhood: nothing to dim
        for (var step = 0; step < state.depth; step++) {
          var next = [];
          data.links.forEach(function (l) {
            if (!linkOk[l.id]) return;
            if (state.direction !== "up" && frontier.indexOf(l.from) >= 0 && !shown[l.to]) { shown[l.to] = true; next.push(l.to); }
            if (state.direction !== "down" && frontier.indexOf(l.to) >= 0 && !shown[l.from]) { shown[l.from] = true; next.push(l.from); }
          });
          frontier = next;
        }
      }
      var q = state.q.toLowerCase();
      var visible = [], linksShown = 0;
      cy.batch(function () {
        // only touch elements whose classes change: restyling 15,000 elements is slow
        var flip = function (ele, cls, want) { if (ele.hasClass(cls) !== want) ele.toggleClass(cls, want); };
        var themesShown = {};
        cy.nodes(".factor").forEach(function (n) {
          var on = !!shown[n.id()];
          // an evidence filter or the gap overlay dims the rest instead of hiding it
          var dim = (evidenceOn && !on && nodeOk[n.id()]) || (gapOn && on && !gapIds[n.id()]);
          if (on || dim) themesShown[byId[n.id()] && byId[n.id()].theme || ""] = true;
          flip(n, "hidden", !on && !dim);
          flip(n, "dim", dim);
          flip(n, "match", !!q && on && n.data("label").toLowerCase().indexOf(q) >= 0);
          flip(n, "focus", n.id() === state.focus);
          flip(n, "gap", gapOn && !!gapIds[n.id()]);
          if (on) visible.push(n.id());
        });
        cy.nodes(".region").forEach(function (n) { flip(n, "hidden", !themesShown[n.id().slice(6)]); });
        data.links.forEach(function (l) {
          var edge = cy.getElementById("e:" + l.id), on = linkOk[l.id] && shown[l.from] && shown[l.to];
          var dim = !on && evidenceOn && nodeOk[l.from] && nodeOk[l.to];
          if (on && gapOn && !(gapIds[l.from] || gapIds[l.to])) dim = true;
          if (on && !dim) linksShown++;
          flip(edge, "hidden", !on && !dim);
          flip(edge, "dim", dim);
        });
      });
      var legendGap = document.getElementById("legend-gap"), legendDim = document.getElementById("legend-dim");
      var legendUnknown = document.getElementById("legend-unknown");
      if (legendUnknown) legendUnknown.hidden = !data.links.some(function (l) { return l.polarity !== "+" && l.polarity !== "-"; });
      if (legendGap) legendGap.hidden = !gapOn;
      if (legendDim) legendDim.hidden = !evidenceOn;
      var edges = linksShown;
      var gapCount = gapOn ? visible.filter(function (id) { return gapIds[id]; }).length : 0;
      statusEl.textContent = "Showing " + visible.length + " of " + data.factors.length + " factors and " + edges + " links." +
        (linksDeferred ? " Zoom in, or choose a theme, to draw the links." : "") +
        (gapOn ? " " + gapCount + " shown are funding gaps (\u25c6 gap)." : "");
      fillList(visible, q, gapOn);
      if (fit) {
        var target = q ? cy.nodes(".match") : cy.nodes(".factor").not(".hidden");
        if (target.length) fitTo(target, !!q);
      }
    }

    // Semantic zoom: below READABLE px the factor labels are not drawn (min-zoomed-font-size)
    // and each theme's name is drawn large in the middle of its region instead.
    var PAD = 8;
    function overview() { return cy.zoom() * FONT < READABLE - 1e-6; }
    function restyleForZoom() {
      var on = overview(), zoom = cy.zoom(), changed = on !== zoomedOut;
      zoomedOut = on;
      cy.batch(function () {
        cy.nodes(".region").forEach(function (n) {
          n.toggleClass("overview", on);
          // zoomed out: 14 px on screen, smaller (not under 11 px) if the region's longest
          // word would not fit its width; zoomed in: 13 model units (>= 11 px, see above)
          var px = 14;
          if (on) px = Math.max(READABLE, Math.min(14, 0.95 * n.data("w") * zoom / n.data("em")));
          n.data("fs", on ? px / zoom : 13);
        });
        // (cytoscape's own min-zoomed-font-size rounds the zoom up to a power of two, so
        // labels of 6 to 11 px would still be drawn: hide them here instead)
        if (changed) {
          cy.nodes(".factor").toggleClass("overview", on);
          if (!big) cy.edges().toggleClass("overview", on);  // a big map draws no signs anyway
        }
      });
      cy.container().setAttribute("data-overview", on ? "true" : "false");
      if (!on && linksDeferred) setTimeout(addDeferredLinks, 0);
    }
    function addDeferredLinks() {
      if (!linksDeferred) return;
      linksDeferred = false;
      var list = [];
      data.links.forEach(function (l) { if (!cy.getElementById("e:" + l.id).length) list.push(linkElement(l)); });
      cy.batch(function () { cy.add(list); });
      refresh();  // the links take the filters' hidden and dimmed classes
    }
    // fit the whole of ``eles``; when ``readable``, never zoom out so far that labels vanish
    function fitTo(eles, readable) {
      cy.fit(eles, PAD);
      if (readable && overview()) { cy.zoom(1.05 * READABLE / FONT); cy.center(eles); }
      restyleForZoom();
    }
    cy.on("zoom", restyleForZoom);
    cy.on("tap", "node.region", function (evt) {
      // zoomed out, a theme's name zooms in to its factors
      if (evt.target.hasClass("overview")) fitTo(evt.target, false);
    });
    function zoomBy(factor) {
      var w = cy.width(), h = cy.height();
      cy.zoom({ level: Math.max(cy.minZoom(), Math.min(cy.maxZoom(), cy.zoom() * factor)), renderedPosition: { x: w / 2, y: h / 2 } });
    }
    var zoomIn = document.getElementById("zoom-in"), zoomOut = document.getElementById("zoom-out"), zoomFit = document.getElementById("zoom-fit");
    if (zoomIn) zoomIn.addEventListener("click", function () { zoomBy(1.3); });
    if (zoomOut) zoomOut.addEventListener("click", function () { zoomBy(1 / 1.3); });
    if (zoomFit) zoomFit.addEventListener("click", function () { fitTo(cy.nodes().not(".hidden"), false); });

    function fillList(visible, q, gapOn) {
      var list = document.getElementById("visible");
      if (!list) return;
      document.getElementById("visible-count").textContent = String(visible.length);
      list.textContent = "";
      var ids = visible.slice();
      if (q) ids = ids.filter(function (id) { return byId[id].label.toLowerCase().indexOf(q) >= 0; });
      ids.sort(function (a, b) { return byId[a].label.localeCompare(byId[b].label); });
      ids.slice(0, 300).forEach(function (id) {
        var li = el("li");
        var button = el("button", byId[id].label, { type: "button", "data-factor": id });
        button.addEventListener("click", function () {
          showDetails(id);
          cy.animate({ center: { eles: cy.getElementById(id) }, zoom: Math.max(cy.zoom(), 1.1) }, { duration: 200 });
        });
        li.appendChild(button);
        if (gapOn && gapIds[id]) {
          li.className = "gap";
          li.appendChild(el("span", " \u25c6 gap", { "class": "gap-marker", title: "High leverage, nobody working on it" }));
        }
        list.appendChild(li);
      });
      if (ids.length > 300) list.appendChild(el("li", "\u2026 and " + (ids.length - 300) + " more: use the search."));
    }

    function update(fit) {
      var state = formState();
      var hash = stateHash(state);
      history.replaceState(null, "", location.pathname + (hash ? "#" + hash : ""));
      var share = document.getElementById("share");
      if (share) share.href = location.href;
      render(state, fit);
    }

    function ready() {
      document.body.setAttribute("data-canvas-ready", "true");
      if (window.performance && performance.mark) performance.mark("loopwise-canvas-ready");
    }

    var initial = readState();
    if (form) {
      applyToForm(initial);
      form.addEventListener("change", function (e) {
        update(true);
        // choosing a factor in the Focus control shows its details too
        if (e.target === form.focus && byId[form.focus.value]) showDetails(form.focus.value);
      });
      form.addEventListener("submit", function (e) { e.preventDefault(); update(true); });
      form.q.addEventListener("input", function () { update(false); });
      form.addEventListener("reset", function () { setTimeout(function () { update(true); }, 0); });
    }
    render(initial, false);
    if (initial.focus && byId[initial.focus]) showDetails(initial.focus);
    fitTo(initial.q ? cy.nodes(".match") : cy.nodes().not(".hidden"), false);
    ready();
    function readStateOr(s) { return form ? formState() : s; }

    // for js/canvas_edit.js (loaded for editors only): change the drawing in place
    function refresh() { render(readStateOr(initial), false); }
    function putFactor(f, position) {
      if (byId[f.id]) {
        Object.assign(byId[f.id], f);
        cy.getElementById(f.id).data(nodeData(byId[f.id]));
      } else {
        data.factors.push(f); byId[f.id] = f;
        cy.add({ group: "nodes", data: nodeData(f), classes: zoomedOut ? "factor overview" : "factor", position: position || { x: f.x || 0, y: f.y || 0 } });
      }
      refresh();
    }
    function removeFactor(id) {
      data.factors = data.factors.filter(function (f) { return f.id !== id; });
      data.links = data.links.filter(function (l) { return l.from !== id && l.to !== id; });
      delete byId[id];
      cy.getElementById(id).remove();
      refresh();
    }
    function putLink(l) {
      var at = data.links.findIndex(function (x) { return x.id === l.id; });
      if (at >= 0) data.links[at] = l; else data.links.push(l);
      var edge = cy.getElementById("e:" + l.id);
      if (edge.length) {
        edge.data(edgeData(l));
        edge.classes(edgeClasses(l));
      } else cy.add(edgeElement(l));
      refresh();
    }
    function removeLink(id) {
      data.links = data.links.filter(function (l) { return l.id !== id; });
      cy.getElementById("e:" + id).remove();
      refresh();
    }
    function replaceData(fresh) {
      var positions = {};
      cy.nodes().forEach(function (n) { positions[n.id()] = Object.assign({}, n.position()); });
      data.factors = fresh.factors; data.links = fresh.links; data.version = fresh.version;
      byId = {};
      data.factors.forEach(function (f) { byId[f.id] = f; });
      cy.batch(function () { cy.elements().remove(); cy.add(elementsOf(positions, !linksDeferred)); });
      refresh();
    }
    window.loopwiseCanvas = {
      cy: cy, data: data, themes: themes, showDetails: showDetails,
      factor: function (id) { return byId[id]; },
      putFactor: putFactor, removeFactor: removeFactor, putLink: putLink, removeLink: removeLink,
      replaceData: replaceData
    };
    document.dispatchEvent(new CustomEvent("loopwise:canvas-ready"));
  }
})();
