/* loopwise map canvas, editing: loaded only for signed-in editors (the template decides).
 * Adds, changes and deletes factors and links from the details panel over the JSON write
 * API. Every write names the version this page holds (based_on); on success the drawing
 * changes in place (positions kept) and the version advances; a 409 (someone else saved
 * first) shows what changed, reloads the map and lets the user apply the edit again.
 * No inline scripts; all user text goes through textContent/value, never innerHTML. */
(function () {
  "use strict";
  var root = document.getElementById("explorer");
  if (!root || root.dataset.canEdit !== "true") return;
  var api = root.dataset.api;
  var csrf = root.dataset.csrf;
  var version = Number(root.dataset.version);
  var map = null; // the map as loopwise JSON at `version`: the fields the graph leaves out
  var canvas = null;
  var STRENGTHS = ["weak", "medium", "strong"];

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (attrs) Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }
  function field(form, id, labelText, control) {
    control.id = id;
    form.appendChild(el("label", labelText, { "for": id }));
    form.appendChild(control);
    return control;
  }
  function options(select, pairs, value) {
    pairs.forEach(function (p) { select.appendChild(el("option", p[1], { value: p[0] })); });
    select.value = value;
    return select;
  }

  // status and conflict boxes sit above the details (they outlive a redraw of the details)
  var side = document.querySelector("aside.side");
  var statusEl = el("p", "", { id: "edit-status", role: "status", "aria-live": "polite", "class": "edit-status" });
  var conflictEl = el("div", null, { id: "edit-conflict", "class": "conflict", role: "alert" });
  conflictEl.hidden = true;
  side.insertBefore(conflictEl, document.getElementById("details"));
  side.insertBefore(statusEl, conflictEl);
  function say(text) { statusEl.textContent = text; }

  function headers() {
    return { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf };
  }

  function loadMap() {
    return fetch(api, { headers: { Accept: "application/json" }, cache: "no-store", credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error("could not load the map (" + r.status + ")");
        var stated = Number(r.headers.get("X-Loopwise-Version"));
        return r.json().then(function (doc) { return { doc: doc, version: stated || null }; });
      });
  }
  function loadGraph() {
    return fetch(api + "/graph", { headers: { Accept: "application/json" }, cache: "no-store", credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error("could not load the map (" + r.status + ")");
        return r.json();
      });
  }

  // the whole map again (after a conflict): the JSON and the drawing at the same version
  function reload(tries) {
    return loadMap().then(function (got) {
      return loadGraph().then(function (graph) {
        if (graph.version !== got.version && (tries || 0) < 3) return reload((tries || 0) + 1);
        map = got.doc; version = graph.version;
        canvas.replaceData(graph);
        return graph;
      });
    });
  }

  function describe(change) {
    var fields = [];
    var before = change.before || {}, after = change.after || {};
    Object.keys(Object.assign({}, before, after)).forEach(function (k) {
      if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) fields.push(k);
    });
    var noun = change.collection.replace(/s$/, "");
    return noun + " " + change.entity_id + " " + change.action +
      (change.action === "changed" && fields.length ? ": " + fields.join(", ") : "");
  }

  function showConflict(body) {
    conflictEl.textContent = "";
    conflictEl.appendChild(el("h3", "Not saved: the map changed"));
    conflictEl.appendChild(el("p", "Your edit was based on version " + body.based_on + "; the map is now at version " +
      body.current + ". The map has been reloaded: check the changes below, then apply your edit again."));
    var ul = el("ul");
    (body.changes || []).forEach(function (c) { ul.appendChild(el("li", describe(c))); });
    conflictEl.appendChild(ul);
    var close = el("button", "Dismiss", { type: "button" });
    close.addEventListener("click", function () { conflictEl.hidden = true; });
    conflictEl.appendChild(close);
    conflictEl.hidden = false;
  }

  // one write: resolves to the API's answer on success, null otherwise (the message is shown)
  function write(method, path, body, query) {
    var url = api + path;
    var init = { method: method, headers: headers(), credentials: "same-origin" };
    if (method === "DELETE") url += "?based_on=" + version + (query || "");
    else init.body = JSON.stringify(Object.assign({ based_on: version }, body));
    say("Saving\u2026");
    return fetch(url, init).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (answer) {
        if (r.ok) {
          conflictEl.hidden = true;
          version = answer.version; canvas.data.version = version;
          return answer;
        }
        if (r.status === 409) {
          say("Not saved: someone else changed the map first. Reloading the map\u2026");
          var selected = canvas.cy.$(":selected");
          return reload().then(function () {
            showConflict(answer);
            if (selected.length && selected[0].isNode() && canvas.factor(selected[0].id())) canvas.showDetails(selected[0].id());
            say("Not saved: someone else changed the map first. Reloaded at version " + version + ": apply your edit again.");
            return null;
          });
        }
        var detail = typeof answer.detail === "string" ? answer.detail : JSON.stringify(answer.detail || r.status);
        say("Not saved: " + detail);
        return null;
      });
    }).catch(function (err) { say("Not saved: " + String(err.message || err)); return null; });
  }

  function mapItem(collection, id) {
    return (map[collection] || []).find(function (i) { return i.id === id; });
  }
  function putMapItem(collection, item) {
    var list = map[collection] = map[collection] || [];
    var at = list.findIndex(function (i) { return i.id === item.id; });
    if (at >= 0) list[at] = item; else list.push(item);
  }
  function dropMapItem(collection, id) {
    map[collection] = (map[collection] || []).filter(function (i) { return i.id !== id; });
  }
  function without(item, keys) {
    var copy = JSON.parse(JSON.stringify(item));
    keys.forEach(function (k) { delete copy[k]; });
    return copy;
  }
  function graphLink(link, old) {
    var g = Object.assign({}, old || { kinds: [] }, { id: link.id, from: link.from, to: link.to, polarity: link.polarity });
    if (link.delay) g.delay = true; else delete g.delay;
    return g;
  }
  function slugify(text) {
    var base = text.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "factor";
    var id = base, n = 2;
    while (canvas.factor(id) || mapItem("factors", id)) id = base + "-" + n++;
    return id;
  }

  // ----------------------------------------------------------------- a factor's panel
  function factorForms(id) {
    var box = document.getElementById("details");
    var f = map && mapItem("factors", id);
    if (!box || !f) return;
    var edit = el("form", null, { id: "edit-factor", "class": "edit-form", "aria-labelledby": "edit-factor-heading" });
    edit.appendChild(el("h3", "Edit this factor", { id: "edit-factor-heading", "class": "edit-heading" }));
    var label = field(edit, "edit-factor-label", "Label", el("input", null, { name: "label", required: "", maxlength: "300", autocomplete: "off" }));
    label.value = f.label;
    var desc = field(edit, "edit-factor-description", "Description", el("textarea", null, { name: "description", rows: "3" }));
    desc.value = f.description || "";
    var row = el("p", null, { "class": "edit-actions" });
    row.appendChild(el("button", "Save", { type: "submit" }));
    var del = row.appendChild(el("button", "Delete factor", { type: "button", id: "delete-factor", "class": "danger" }));
    edit.appendChild(row);
    edit.addEventListener("submit", function (e) {
      e.preventDefault();
      var text = label.value.trim();
      if (!text) { say("A factor needs a label."); label.focus(); return; }
      var item = Object.assign(without(mapItem("factors", id), ["evidence"]), { label: text, description: desc.value });
      write("PUT", "/factors/" + encodeURIComponent(id), { factor: item }).then(function (answer) {
        if (!answer) return;
        putMapItem("factors", Object.assign({}, item, { evidence: mapItem("factors", id).evidence || [] }));
        canvas.putFactor({ id: id, label: text });
        say(answer.revision ? "Saved factor \u201c" + text + "\u201d: now version " + answer.version + "." : "Nothing changed.");
        canvas.showDetails(id);
        var again = document.getElementById("edit-factor-label");
        if (again) again.focus();
      });
    });
    del.addEventListener("click", function () {
      var links = canvas.data.links.filter(function (l) { return l.from === id || l.to === id; }).length;
      var question = "Delete the factor \u201c" + f.label + "\u201d" + (links ? " and its " + links + " link" + (links > 1 ? "s" : "") : "") + "?";
      if (!window.confirm(question)) return;
      write("DELETE", "/factors/" + encodeURIComponent(id), null, links ? "&cascade=true" : "").then(function (answer) {
        if (!answer) return;
        dropMapItem("factors", id);
        map.links = (map.links || []).filter(function (l) { return l.from !== id && l.to !== id; });
        canvas.removeFactor(id);
        var details = document.getElementById("details");
        details.textContent = "";
        details.appendChild(el("p", "Select a factor in the diagram or in the list below."));
        say("Deleted factor \u201c" + f.label + "\u201d: now version " + answer.version + ".");
        statusEl.focus();
      });
    });
    box.appendChild(edit);
    box.appendChild(addLinkForm(id));
    // every link in the lists can be edited from the keyboard
    box.querySelectorAll("li[data-link]").forEach(function (li) {
      var linkId = li.getAttribute("data-link");
      var button = el("button", "Edit link", { type: "button", "class": "edit-link", "aria-label": "Edit link " + linkId });
      button.addEventListener("click", function () { showLink(linkId); });
      li.appendChild(document.createTextNode(" "));
      li.appendChild(button);
    });
  }

  function linkFields(form, prefix, link) {
    var polarity = field(form, prefix + "-polarity", "Polarity", options(el("select", null, { name: "polarity" }),
      [["+", "+ increases"], ["-", "\u2212 decreases"]], link.polarity || "+"));
    var strengthOptions = STRENGTHS.map(function (s) { return [s, s]; });
    var numeric = typeof link.strength === "number";
    if (numeric) strengthOptions.unshift(["number", "as now (" + link.strength + ")"]);
    var strength = field(form, prefix + "-strength", "Strength", options(el("select", null, { name: "strength" }),
      strengthOptions, numeric ? "number" : (link.strength || "medium")));
    var delayLabel = el("label", null, { "class": "check", "for": prefix + "-delay" });
    var delay = el("input", null, { type: "checkbox", id: prefix + "-delay", name: "delay" });
    delay.checked = !!link.delay;
    delayLabel.appendChild(delay);
    delayLabel.appendChild(document.createTextNode(" With a delay"));
    form.appendChild(delayLabel);
    var mechanism = field(form, prefix + "-mechanism", "Mechanism", el("input", null, { name: "mechanism", maxlength: "2000", autocomplete: "off" }));
    mechanism.value = link.mechanism || "";
    return function values() {
      var s = strength.value;
      if (s === "number") s = Math.abs(link.strength) * (polarity.value === "+" ? 1 : -1);
      return { polarity: polarity.value, strength: s, delay: delay.checked, mechanism: mechanism.value.trim() };
    };
  }

  function addLinkForm(id) {
    var form = el("form", null, { id: "add-link", "class": "edit-form", "aria-labelledby": "add-link-heading" });
    form.appendChild(el("h3", "Add a link from this factor", { id: "add-link-heading", "class": "edit-heading" }));
    var others = canvas.data.factors.filter(function (f) { return f.id !== id; })
      .sort(function (a, b) { return a.label.localeCompare(b.label); })
      .map(function (f) { return [f.id, f.label]; });
    var target = field(form, "add-link-target", "Target factor", options(el("select", null, { name: "to" }), others, others.length ? others[0][0] : ""));
    var values = linkFields(form, "add-link", { polarity: "+", strength: "medium" });
    form.appendChild(el("p")).appendChild(el("button", "Add link", { type: "submit" }));
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (!target.value) { say("Choose the factor this one drives."); return; }
      var link = Object.assign({ from: id, to: target.value }, values());
      write("POST", "/links", { link: link }).then(function (answer) {
        if (!answer) return;
        var change = (answer.changes || []).find(function (c) { return c.collection === "links"; });
        var saved = (change && change.after) || Object.assign({ id: id + "--" + target.value }, link);
        putMapItem("links", saved);
        canvas.putLink(graphLink(saved));
        say("Added a link to \u201c" + canvas.factor(saved.to).label + "\u201d: now version " + answer.version + ".");
        canvas.showDetails(id);
      });
    });
    return form;
  }

  // ----------------------------------------------------------------- a link's panel
  function showLink(linkId) {
    var box = document.getElementById("details");
    var link = map && mapItem("links", linkId);
    if (!box || !link) return;
    var from = canvas.factor(link.from), to = canvas.factor(link.to);
    box.textContent = "";
    box.appendChild(el("h3", "Link: " + from.label + " \u2192 " + to.label, { id: "edit-link-heading" }));
    var form = el("form", null, { id: "edit-link", "class": "edit-form", "aria-labelledby": "edit-link-heading" });
    var values = linkFields(form, "edit-link", link);
    var row = el("p", null, { "class": "edit-actions" });
    row.appendChild(el("button", "Save", { type: "submit" }));
    var del = row.appendChild(el("button", "Delete link", { type: "button", id: "delete-link", "class": "danger" }));
    form.appendChild(row);
    box.appendChild(form);
    var back = el("button", "Back to \u201c" + from.label + "\u201d", { type: "button", "class": "linklike" });
    back.addEventListener("click", function () { canvas.showDetails(link.from); });
    box.appendChild(el("p")).appendChild(back);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var item = Object.assign(without(mapItem("links", linkId), ["evidence", "confidence"]), values());
      write("PUT", "/links/" + encodeURIComponent(linkId), { link: item }).then(function (answer) {
        if (!answer) return;
        putMapItem("links", Object.assign({}, item, { evidence: mapItem("links", linkId).evidence || [] }));
        var old = canvas.data.links.find(function (l) { return l.id === linkId; });
        canvas.putLink(graphLink(item, old));
        say(answer.revision ? "Saved the link: now version " + answer.version + "." : "Nothing changed.");
        showLink(linkId);
        var again = document.getElementById("edit-link-mechanism");
        if (again) again.focus();
      });
    });
    del.addEventListener("click", function () {
      if (!window.confirm("Delete the link " + from.label + " \u2192 " + to.label + "?")) return;
      write("DELETE", "/links/" + encodeURIComponent(linkId)).then(function (answer) {
        if (!answer) return;
        dropMapItem("links", linkId);
        canvas.removeLink(linkId);
        say("Deleted the link " + from.label + " \u2192 " + to.label + ": now version " + answer.version + ".");
        canvas.showDetails(link.from);
      });
    });
    canvas.cy.$(":selected").unselect();
    canvas.cy.getElementById("e:" + linkId).select();
  }

  // ----------------------------------------------------------------- adding a factor
  function addFactorForm() {
    var form = document.getElementById("add-factor");
    if (!form) return;
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var label = form.label.value.trim();
      if (!map) { say("The map is still loading."); return; }
      if (!label) { say("A factor needs a label."); form.label.focus(); return; }
      var factor = { id: slugify(label), label: label };
      if (form.theme.value) factor.theme = form.theme.value;
      write("POST", "/factors", { factor: factor }).then(function (answer) {
        if (!answer) return;
        var change = (answer.changes || []).find(function (c) { return c.collection === "factors"; });
        putMapItem("factors", (change && change.after) || factor);
        var cy = canvas.cy, box = cy.extent();
        var position = { x: (box.x1 + box.x2) / 2 + (Math.random() - 0.5) * 40, y: (box.y1 + box.y2) / 2 + (Math.random() - 0.5) * 40 };
        var g = { id: factor.id, label: label, x: position.x, y: position.y };
        if (factor.theme) g.theme = factor.theme;
        canvas.putFactor(g, position);
        form.reset();
        say("Added factor \u201c" + label + "\u201d: now version " + answer.version + ".");
        canvas.showDetails(factor.id);
      });
    });
  }

  function start() {
    if (canvas) return;
    canvas = window.loopwiseCanvas;
    canvas.cy.style().selector("edge:selected").style({ "width": 4, "line-color": "#e07000",
      "target-arrow-color": "#e07000" }).update();
    canvas.cy.on("tap", "edge", function (evt) { showLink(evt.target.id().replace(/^e:/, "")); });
    document.addEventListener("loopwise:details", function (e) { factorForms(e.detail.factor); });
    addFactorForm();
    loadMap().then(function (got) {
      map = got.doc;
      if (got.version !== canvas.data.version) return reload();
      version = got.version;
    }).then(function () {
      root.setAttribute("data-edit-ready", "true");
      var selected = canvas.cy.$("node:selected");
      if (selected.length) canvas.showDetails(selected[0].id());
    }).catch(function (err) { say(String(err.message || err)); });
  }

  if (window.loopwiseCanvas) start();
  else document.addEventListener("loopwise:canvas-ready", start);
})();
