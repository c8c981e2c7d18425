/* Paths between any two factors in a published site (no server): every chain of links up to
 * six long from one factor to the other, found in the browser from the map's graph
 * (data/graph.js), with each chain's sign and the net sign, as the served paths page gives
 * them. The choice is kept in the address (#from=…&to=…), so a result can be shared. */
(function () {
  "use strict";
  var form = document.getElementById("static-paths");
  var out = document.getElementById("static-paths-result");
  var data = window.loopwiseGraph;
  if (!form || !out || !data) return;
  var MAX_LENGTH = Number(form.dataset.maxLength) || 6, MAX_PATHS = 200;
  var labels = {}, out_links = {};
  data.factors.forEach(function (f) { labels[f.id] = f.label; out_links[f.id] = []; });
  data.links.forEach(function (l) { if (out_links[l.from]) out_links[l.from].push(l); });

  function findPaths(source, target) {
    var found = [], truncated = false, onPath = {};
    onPath[source] = true;
    (function walk(node, links) {
      if (found.length >= MAX_PATHS) { truncated = true; return; }
      out_links[node].forEach(function (l) {
        if (found.length >= MAX_PATHS) { truncated = true; return; }
        if (l.to === target) { found.push(links.concat([l])); return; }
        if (onPath[l.to] || links.length + 1 >= MAX_LENGTH) return;
        onPath[l.to] = true;
        walk(l.to, links.concat([l]));
        onPath[l.to] = false;
      });
    })(source, []);
    found.sort(function (a, b) { return a.length - b.length; });
    return { paths: found, truncated: truncated };
  }
  function sign(path) {
    var minus = 0;
    for (var i = 0; i < path.length; i++) {
      if (path[i].polarity === "-") minus += 1;
      else if (path[i].polarity !== "+") return "?";
    }
    return minus % 2 ? "\u2212" : "+";
  }
  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }
  function factorLink(id) {
    return el("a", labels[id], { href: form.dataset.factorUrl.replace("__ID__", encodeURIComponent(id)) });
  }
  function show(source, target) {
    out.textContent = "";
    var heading = el("h2", "From ", { id: "static-paths-heading" });
    heading.appendChild(factorLink(source));
    heading.appendChild(document.createTextNode(" to "));
    heading.appendChild(factorLink(target));
    out.appendChild(heading);
    if (source === target) { out.appendChild(el("p", "Choose two different factors.")); return; }
    var result = findPaths(source, target), paths = result.paths;
    var plus = paths.filter(function (p) { return sign(p) === "+"; }).length;
    var minus = paths.filter(function (p) { return sign(p) === "\u2212"; }).length;
    var net;
    if (!paths.length) net = "No path of up to " + MAX_LENGTH + " links.";
    else if (plus && minus) net = "Net sign: mixed (" + plus + " paths push the same way, " + minus + " the opposite way).";
    else if (plus === paths.length) net = "Net sign: + (same direction): all " + paths.length + " path" + (paths.length === 1 ? "" : "s") + " agree.";
    else if (minus === paths.length) net = "Net sign: \u2212 (opposite direction): all " + paths.length + " path" + (paths.length === 1 ? "" : "s") + " agree.";
    else net = "Net sign: unknown (a link on a path has no polarity).";
    if (result.truncated) net += " The search stopped at " + paths.length + " paths.";
    out.appendChild(el("p", net, { "class": "net", id: "static-net-sign" }));
    var list = el("ol", null, { "class": "paths" });
    paths.forEach(function (path) {
      var item = el("li");
      item.appendChild(el("span", sign(path), { "class": "sign" }));
      item.appendChild(document.createTextNode(" "));
      item.appendChild(factorLink(path[0].from));
      path.forEach(function (l) {
        item.appendChild(document.createTextNode(" " + (l.polarity === "-" ? "\u2212" : l.polarity === "+" ? "+" : "?") + " \u2192 "));
        item.appendChild(factorLink(l.to));
      });
      list.appendChild(item);
    });
    if (paths.length) out.appendChild(list);
  }
  function fromHash() {
    var params = new URLSearchParams(window.location.hash.slice(1));
    var source = params.get("from"), target = params.get("to");
    if (!labels[source] || !labels[target]) return;
    form.elements.from.value = source;
    form.elements.to.value = target;
    show(source, target);
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var source = form.elements.from.value, target = form.elements.to.value;
    history.replaceState(null, "", "#from=" + encodeURIComponent(source) + "&to=" + encodeURIComponent(target));
    show(source, target);
    var heading = document.getElementById("static-paths-heading");
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
  });
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
