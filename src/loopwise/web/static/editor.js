// The table editor: one spreadsheet-like grid per collection over the JSON write API.
// Every write sends the version it is based on; a 409 names what others changed since:
// if they touched a different item the edit is re-applied on top (a merge), otherwise the
// editor shows theirs beside yours and lets the user choose. No inline scripts; all user
// text goes through value/textContent, never innerHTML.
(function () {
  "use strict";
  const root = document.getElementById("editor");
  if (!root) return;
  const api = "/api/maps/" + encodeURIComponent(root.dataset.slug);
  const csrf = root.dataset.csrf;
  let version = Number(root.dataset.version);
  let map = null;
  let evidenceOwner = null; // {collection, id}
  let pending = null; // the write a conflict interrupted: {send, entity}
  const $ = (id) => document.getElementById(id);
  const status = $("editor-status");

  const KINDS = ["interview", "literature", "statistic", "practitioner"];
  const ORG_KINDS = ["charity", "service", "agency", "funder", "research", "other"];
  const FACTOR_KINDS = ["condition", "service", "policy", "outcome"];
  const SUPPORT_GRADES = ["", "states", "implies", "inference"];
  const GRIDS = {
    factors: { key: "factor", noun: "factor", columns: [
      { field: "id", label: "Id", fixed: true }, { field: "label", label: "Label" },
      { field: "kind", label: "Kind", options: FACTOR_KINDS },
      { field: "theme", label: "Theme", optional: true }, { field: "stage", label: "Stage", optional: true },
      { field: "tags", label: "Tags (comma separated)", list: true },
      { field: "description", label: "Description" }], evidence: true },
    links: { key: "link", noun: "link", columns: [
      { field: "id", label: "Id", fixed: true, optional: true },
      { field: "from", label: "From" }, { field: "to", label: "To" },
      { field: "polarity", label: "Polarity", options: ["+", "-"] },
      { field: "strength", label: "Strength", number: "maybe" },
      { field: "delay", label: "Delay", checkbox: true },
      { field: "support", label: "Support", options: SUPPORT_GRADES, optional: true },
      { field: "support_reason", label: "Why this support" },
      { field: "mechanism", label: "Mechanism" }], evidence: true },
    sources: { key: "source", noun: "source", columns: [
      { field: "id", label: "Id", fixed: true }, { field: "kind", label: "Kind", options: KINDS },
      { field: "title", label: "Title" }, { field: "year", label: "Year", number: "yes", optional: true },
      { field: "url", label: "URL", optional: true }] },
    organisations: { key: "organisation", noun: "organisation", columns: [
      { field: "id", label: "Id", fixed: true }, { field: "name", label: "Name" },
      { field: "kind", label: "Kind", options: ORG_KINDS },
      { field: "url", label: "URL", optional: true }, { field: "description", label: "Description" }] },
    evidence: { key: "evidence", noun: "evidence", columns: [
      { field: "text", label: "Text" }, { field: "source", label: "Source" },
      { field: "kind", label: "Kind", options: ["quote", "figure", "finding"] },
      { field: "status", label: "Status", options: ["accepted", "suggested", "rejected"] },
      { field: "page", label: "Page", optional: true }] },
  };

  function say(text) { status.textContent = text; }

  function headers() {
    return { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf };
  }

  async function load() {
    const response = await fetch(api, { headers: { Accept: "application/json" }, cache: "no-store" });
    if (!response.ok) { say("Could not load the map (" + response.status + ")."); return; }
    const stated = Number(response.headers.get("X-Loopwise-Version"));
    map = await response.json();
    if (stated) version = stated;
    $("editor-version").textContent = String(version);
    renderAll();
  }

  function items(name) {
    if (name === "evidence") {
      if (!evidenceOwner) return [];
      const owner = (map[evidenceOwner.collection] || []).find((i) => i.id === evidenceOwner.id);
      return owner ? (owner.evidence || []) : [];
    }
    return map[name] || [];
  }

  function cellValue(item, column) {
    const value = item ? item[column.field] : undefined;
    if (value === undefined || value === null) return column.checkbox ? false : "";
    if (column.list) return value.join(", ");
    return column.checkbox ? Boolean(value) : String(value);
  }

  function control(name, column, item, rowLabel) {
    let input;
    if (column.options) {
      input = document.createElement("select");
      column.options.forEach((option) => {
        const node = document.createElement("option");
        node.value = option; node.textContent = option;
        input.append(node);
      });
      input.value = cellValue(item, column) || column.options[0];
    } else {
      input = document.createElement("input");
      if (column.checkbox) { input.type = "checkbox"; input.checked = cellValue(item, column); }
      else input.value = cellValue(item, column);
    }
    input.dataset.field = column.field;
    input.setAttribute("aria-label", column.label + " of " + rowLabel);
    if (column.fixed && item) input.readOnly = true;
    return input;
  }

  function renderGrid(name) {
    const spec = GRIDS[name];
    const table = $("grid-" + name);
    const focus = document.activeElement && table.contains(document.activeElement)
      ? { row: document.activeElement.closest("tr").dataset.key, field: document.activeElement.dataset.field }
      : null;
    table.replaceChildren();
    const head = document.createElement("thead");
    const headRow = document.createElement("tr");
    spec.columns.forEach((column) => {
      const th = document.createElement("th"); th.scope = "col"; th.textContent = column.label;
      headRow.append(th);
    });
    const actions = document.createElement("th"); actions.scope = "col"; actions.textContent = "Actions";
    headRow.append(actions); head.append(headRow); table.append(head);
    const body = document.createElement("tbody");
    const list = items(name);
    list.forEach((item, index) => body.append(row(name, item, name === "evidence" ? String(index) : item.id)));
    body.append(row(name, null, "")); // the row that adds
    table.append(body);
    if (focus) {
      const target = table.querySelector('tr[data-key="' + CSS.escape(focus.row) + '"] [data-field="' + focus.field + '"]');
      if (target) target.focus();
    }
  }

  function row(name, item, key) {
    const spec = GRIDS[name];
    const tr = document.createElement("tr");
    tr.dataset.key = key;
    const rowLabel = item ? spec.noun + " " + (item.id || item.label || key) : "new " + spec.noun;
    if (!item) tr.className = "new-row";
    spec.columns.forEach((column) => {
      const td = document.createElement("td");
      td.append(control(name, column, item, rowLabel));
      tr.append(td);
    });
    const td = document.createElement("td"); td.className = "actions";
    const save = document.createElement("button");
    save.type = "button"; save.textContent = item ? "Save" : "Add";
    save.setAttribute("aria-label", (item ? "Save " : "Add ") + rowLabel);
    save.addEventListener("click", () => saveRow(name, tr));
    td.append(save);
    if (item) {
      const remove = document.createElement("button");
      remove.type = "button"; remove.textContent = "Delete";
      remove.setAttribute("aria-label", "Delete " + rowLabel);
      remove.addEventListener("click", () => deleteRow(name, tr));
      td.append(remove);
      if (spec.evidence) {
        const ev = document.createElement("button");
        ev.type = "button"; ev.textContent = "Evidence (" + (item.evidence || []).length + ")";
        ev.setAttribute("aria-label", "Evidence of " + rowLabel);
        ev.addEventListener("click", () => openEvidence(name, item.id));
        td.append(ev);
      }
    }
    tr.append(td);
    tr.addEventListener("input", () => tr.classList.add("dirty"));
    tr.addEventListener("change", () => tr.classList.add("dirty"));
    tr.addEventListener("keydown", (event) => onKey(name, tr, event));
    return tr;
  }

  function onKey(name, tr, event) {
    const field = event.target.dataset && event.target.dataset.field;
    if (!field) return;
    if (event.key === "Enter") { event.preventDefault(); saveRow(name, tr); }
    else if (event.key === "Escape") { event.preventDefault(); renderGrid(name); }
    else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && event.target.tagName === "INPUT") {
      const next = event.key === "ArrowDown" ? tr.nextElementSibling : tr.previousElementSibling;
      const target = next && next.querySelector('[data-field="' + field + '"]');
      if (target) { event.preventDefault(); target.focus(); }
    }
  }

  function readRow(name, tr, original) {
    const item = Object.assign({}, original || {});
    delete item.evidence;
    GRIDS[name].columns.forEach((column) => {
      const input = tr.querySelector('[data-field="' + column.field + '"]');
      let value = column.checkbox ? input.checked : input.value.trim();
      if (column.list) value = value ? value.split(",").map((s) => s.trim()).filter(Boolean) : [];
      if (column.number && value !== "" && !Number.isNaN(Number(value))) value = Number(value);
      if (value === "" && (column.optional || column.number)) delete item[column.field];
      else item[column.field] = value;
    });
    return item;
  }

  function original(name, tr) {
    if (tr.classList.contains("new-row")) return null;
    const list = items(name);
    return name === "evidence" ? list[Number(tr.dataset.key)] : list.find((i) => i.id === tr.dataset.key);
  }

  function path(name, tr) {
    if (name === "evidence") {
      const base = "/" + evidenceOwner.collection + "/" + encodeURIComponent(evidenceOwner.id) + "/evidence";
      return tr.classList.contains("new-row") ? base : base + "/" + tr.dataset.key;
    }
    return tr.classList.contains("new-row") ? "/" + name : "/" + name + "/" + encodeURIComponent(tr.dataset.key);
  }

  function entityOf(name, tr, item) {
    if (name === "evidence") return { collection: evidenceOwner.collection.replace(/s$/, ""), id: evidenceOwner.id };
    return { collection: GRIDS[name].key, id: tr.classList.contains("new-row") ? item.id : tr.dataset.key };
  }

  async function saveRow(name, tr) {
    const before = original(name, tr);
    const item = readRow(name, tr, before);
    const isNew = !before;
    const url = api + path(name, tr);
    const send = (basedOn) => fetch(url, {
      method: isNew ? "POST" : "PUT", headers: headers(),
      body: JSON.stringify({ based_on: basedOn, [GRIDS[name].key]: item }),
    });
    await write(send, entityOf(name, tr, item), item, (isNew ? "added " : "saved ") + GRIDS[name].noun);
  }

  async function deleteRow(name, tr) {
    const item = original(name, tr);
    const send = (basedOn) => fetch(api + path(name, tr) + "?based_on=" + basedOn, { method: "DELETE", headers: headers() });
    await write(send, entityOf(name, tr, item || {}), null, "deleted " + GRIDS[name].noun);
  }

  async function write(send, entity, mine, done) {
    say("Saving…");
    const response = await send(version);
    await finish(response, send, entity, mine, done);
  }

  async function finish(response, send, entity, mine, done) {
    let body = {};
    try { body = await response.json(); } catch (e) { body = {}; }
    if (response.ok) {
      say(body.revision ? done + ": now version " + body.version : "Nothing changed.");
      await load();
      return;
    }
    if (response.status === 409) { await conflict(body, send, entity, mine, done); return; }
    say("Not saved: " + (body.detail || response.status));
  }

  async function conflict(body, send, entity, mine, done) {
    await load(); // show their changes
    const clash = (body.changes || []).filter((c) => c.collection === entity.collection && c.entity_id === entity.id);
    showChanges(body);
    if (clash.length === 0) {
      // they changed other items only: apply this edit on top of theirs (a merge)
      const response = await send(body.current);
      say("Merged with changes by others.");
      await finish(response, send, entity, mine, done + " (merged)");
      return;
    }
    pending = { send, entity, mine, done, current: body.current };
    const theirs = clash[clash.length - 1].after || {};
    $("conflict-question").textContent = "You and someone else both changed " + entity.collection + " " + entity.id + ". Keep which?";
    const fields = $("conflict-fields");
    fields.replaceChildren();
    const keys = new Set(Object.keys(theirs).concat(Object.keys(mine || {})));
    keys.forEach((key) => {
      if (key === "evidence") return;
      const a = JSON.stringify(theirs[key]); const b = JSON.stringify((mine || {})[key]);
      if (a === b) return;
      const tr = document.createElement("tr");
      const th = document.createElement("th"); th.scope = "row"; th.textContent = key;
      const td1 = document.createElement("td"); td1.textContent = a === undefined ? "" : a;
      const td2 = document.createElement("td"); td2.textContent = b === undefined ? "" : b;
      tr.append(th, td1, td2); fields.append(tr);
    });
    $("conflict-choice").hidden = false;
    say("Not saved yet: the map changed. Choose below.");
    $("conflict-title").focus();
  }

  function showChanges(body) {
    $("conflict").hidden = false;
    $("conflict-choice").hidden = true;
    $("conflict-summary").textContent = "Your edit was based on version " + body.based_on + "; the map is now at version " + body.current + ". Changed since:";
    const list = $("conflict-changes");
    list.replaceChildren();
    (body.changes || []).forEach((c) => {
      const li = document.createElement("li");
      li.textContent = c.action + " " + c.collection + " " + c.entity_id;
      list.append(li);
    });
  }

  $("conflict-mine").addEventListener("click", async () => {
    if (!pending) return;
    const p = pending; pending = null;
    $("conflict-choice").hidden = true;
    const response = await p.send(version);
    await finish(response, p.send, p.entity, p.mine, p.done + " (yours kept)");
  });
  $("conflict-theirs").addEventListener("click", async () => {
    pending = null;
    $("conflict-choice").hidden = true;
    say("Kept theirs; your edit was dropped.");
    await load();
  });
  $("conflict-close").addEventListener("click", () => { $("conflict").hidden = true; });

  $("editor-undo").addEventListener("click", async () => {
    const send = (basedOn) => fetch(api + "/undo", { method: "POST", headers: headers(), body: JSON.stringify({ based_on: basedOn }) });
    await write(send, { collection: "map", id: "" }, null, "undone");
  });

  function openEvidence(name, id) {
    evidenceOwner = { collection: name, id };
    $("evidence-panel").hidden = false;
    $("h-evidence").textContent = "Evidence of " + GRIDS[name].noun + " " + id;
    renderGrid("evidence");
    $("h-evidence").focus();
  }
  $("evidence-close").addEventListener("click", () => { evidenceOwner = null; $("evidence-panel").hidden = true; });

  function renderAll() {
    ["factors", "links", "sources", "organisations"].forEach(renderGrid);
    if (evidenceOwner) renderGrid("evidence");
  }

  // see the others' changes: poll the version; reload unless this user has unsaved edits
  async function poll() {
    try {
      const response = await fetch(api + "/summary", { headers: { Accept: "application/json" }, cache: "no-store" });
      if (response.ok) {
        const summary = await response.json();
        if (summary.version !== version) {
          if (document.querySelector("#editor tr.dirty")) say("The map changed (version " + summary.version + "); saving will merge.");
          else { await load(); say("Updated to version " + version + " (changes by others)."); }
        }
      }
    } catch (e) { /* offline for a moment: try again later */ }
    window.setTimeout(poll, 3000);
  }

  load().then(() => window.setTimeout(poll, 3000));
})();
