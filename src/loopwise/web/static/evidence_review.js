// Review queue for suggested evidence: keyboard-first (j/k move, a accept, r reject,
// e edit the target link, p flip polarity). No inline scripts; all text via textContent.
(function () {
  "use strict";
  const root = document.getElementById("evidence-review");
  if (!root) return;
  const queueUrl = root.dataset.queueUrl;
  const list = document.getElementById("review-list");
  const status = document.getElementById("review-status");
  const template = document.getElementById("review-item");
  let coder = root.dataset.coder || "";
  let items = [];
  let mapVersion = 0;
  let current = 0;

  function say(text) { status.textContent = text; }

  function target(claim) {
    const end = (span) => (span.factors && span.factors.length ? span.factors[0].factor
      : (span.new_factor ? span.new_factor.id : "?"));
    return end(claim.cause) + " " + end(claim.effect);
  }

  function render() {
    list.replaceChildren();
    items.forEach((item, index) => {
      const node = template.content.firstElementChild.cloneNode(true);
      const claim = item.claim;
      node.querySelector(".quote").textContent = claim.quote;
      node.querySelector(".cause").textContent = claim.cause.text;
      node.querySelector(".effect").textContent = claim.effect.text;
      node.querySelector(".polarity").textContent = "(" + (claim.link_polarity || claim.polarity) + ")";
      node.querySelector(".confidence").textContent = Math.round(claim.confidence * 100) + "%";
      node.querySelector(".target").textContent = claim.kind === "loop"
        ? "loop: " + ((claim.loop || []).join(" → ") || "?") + " (accept adds it to the map's loops); closing link: " + (item.target || target(claim))
        : "link: " + (item.target || target(claim));
      node.dataset.index = String(index);
      if (index === current) { node.setAttribute("aria-current", "true"); }
      list.appendChild(node);
    });
    const active = list.children[current];
    if (active) { active.focus(); }
    say(items.length ? (current + 1) + " of " + items.length : "Nothing left to review.");
  }

  async function load() {
    const response = await fetch(queueUrl + "?status=suggested", { headers: { Accept: "application/json" } });
    if (!response.ok) { say("Could not load the queue (" + response.status + ")."); return; }
    const page = await response.json();
    mapVersion = page.map_version;
    items = page.items;
    current = Math.min(current, Math.max(items.length - 1, 0));
    render();
  }

  async function post(item, action, body) {
    if (!coder) { coder = window.prompt("Your name (recorded as the coder):") || ""; }
    if (!coder) return;
    const response = await fetch(queueUrl + "/" + item.id + "/" + action, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json",
        "X-CSRF-Token": root.dataset.csrf || "" },
      body: JSON.stringify(Object.assign({ version: item.version, coder: coder }, body)),
    });
    const payload = await response.json().catch(() => ({}));
    if (response.status === 409) { say("Changed by someone else: reloaded. " + (payload.detail || "")); await load(); return; }
    if (!response.ok) { say("Not saved: " + (payload.detail || response.status)); return; }
    await load();
    const done = { accept: "Accepted", reject: "Rejected", edit: "Edited" }[action] || action;
    const left = items.length ? (current + 1) + " of " + items.length + " left" : "nothing left to review";
    say(done + " #" + item.id + ". " + left + ".");
  }

  function accept(item) {
    const parts = (item.target || target(item.claim)).split(/\s+/);
    const claim = item.claim;
    const body = { based_on: mapVersion };
    if (parts.length === 1 && parts[0].includes("--")) {
      body.link = parts[0];
    } else {
      body.new_link = { from: parts[0], to: parts[1], polarity: claim.link_polarity || claim.polarity };
      body.new_factors = [claim.cause, claim.effect]
        .filter((span) => span.new_factor && parts.includes(span.new_factor.id))
        .map((span) => span.new_factor);
    }
    return post(item, "accept", body);
  }

  document.addEventListener("keydown", (event) => {
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const item = items[current];
    switch (event.key) {
      case "j": current = Math.min(current + 1, items.length - 1); render(); break;
      case "k": current = Math.max(current - 1, 0); render(); break;
      case "a": if (item) accept(item); break;
      case "r": if (item) post(item, "reject", {}); break;
      case "p":
        if (item) {
          const flipped = (item.claim.link_polarity || item.claim.polarity) === "+" ? "-" : "+";
          post(item, "edit", { link_polarity: flipped });
        }
        break;
      case "e":
        if (item) {
          const answer = window.prompt("Link id (a--b) or FROM TO factor ids:", item.target || target(item.claim));
          if (answer) { item.target = answer.trim(); render(); }
        }
        break;
      default: return;
    }
    event.preventDefault();
  });

  load();
})();
