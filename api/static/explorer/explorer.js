// claimgraph explorer: search -> graph (Cytoscape.js, expand on click) -> claim trace with the quote
// highlighted in the article. Talks only to this server's /api/v1.
"use strict";
const API = "/api/v1";
const $ = (sel) => document.querySelector(sel);

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "onclick") e.addEventListener("click", v); else if (v !== null && v !== undefined) e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}

async function getJSON(path) {
  const r = await fetch(API + path);
  const body = await r.json();
  if (!r.ok) throw new Error(body.message || JSON.stringify(body.detail) || r.statusText);
  return body;
}

const COLOURS = { actor: "#3b6fb6", claim: "#b8860b", statement: "#888", source: "#6a3d9a", relation: "#2e8b57" };
const cy = cytoscape({
  container: $("#graph"),
  style: [
    { selector: "node", style: { label: "data(short)", "font-size": 9, "background-color": (n) => COLOURS[n.data("kind")] || "#999",
      "text-wrap": "ellipsis", "text-max-width": 120, width: 18, height: 18 } },
    { selector: "node[?root]", style: { width: 26, height: 26, "border-width": 2, "border-color": "#222" } },
    { selector: "edge", style: { label: "data(label)", "font-size": 7, width: 1, "curve-style": "bezier",
      "target-arrow-shape": "triangle", "line-color": "#bbb", "target-arrow-color": "#bbb", color: "#777" } },
  ],
  wheelSensitivity: 0.3,
});
window.cy = cy;
const expanded = new Set();
let lastStatement = null; // the quote a user came from is the one highlighted in the claim's trace

async function expand(id) {
  const res = await getJSON(`/nodes/${id}/neighbourhood?format=cytoscape&limit=60`);
  const add = [];
  for (const n of res.elements.nodes) {
    if (cy.getElementById(n.data.id).empty()) {
      n.data.short = n.data.label.length > 28 ? n.data.label.slice(0, 27) + "…" : n.data.label;
      n.data.root = n.data.id === id && cy.nodes().empty();
      add.push({ group: "nodes", data: n.data });
    }
  }
  for (const e of res.elements.edges) if (cy.getElementById(e.data.id).empty()) add.push({ group: "edges", data: e.data });
  cy.add(add);
  expanded.add(id);
  cy.layout({ name: "cose", animate: false, nodeDimensionsIncludeLabels: true }).run();
  return res;
}

function nodeList(res, root) {
  const ul = el("ul", { id: "neighbours" });
  for (const n of res.elements.nodes) {
    if (n.data.id === root) continue;
    ul.append(el("li", {}, el("span", { class: "kind" }, n.data.kind),
      el("button", { class: "link", "data-id": n.data.id, onclick: () => openNode(n.data.id) }, n.data.label)));
  }
  const more = res.truncated ? el("p", { class: "hint" }, `Showing ${res.elements.nodes.length - 1} neighbours; ` +
    res.groups.map((g) => `${g.label} (${g.direction}): ${g.total}`).join(", ")) : null;
  return [ul, more];
}

async function openNode(id) {
  location.hash = id;
  if (id.startsWith("claim/")) { if (!expanded.has(id)) expand(id).catch(showError); return showTrace(id, lastStatement); }
  if (id.startsWith("statement/")) lastStatement = id;
  const res = await expand(id);
  const panel = $("#panel");
  panel.replaceChildren();
  const root = res.elements.nodes.find((n) => n.data.id === id);
  panel.append(el("h2", {}, root ? root.data.label : id), el("p", { class: "kind" }, id));
  if (id.startsWith("actor/")) {
    const a = await getJSON(`/actors/${id.slice(6)}`);
    if (a.aliases.length) panel.append(el("p", {}, "Also: " + a.aliases.join(", ")));
    if (a.roles.length) panel.append(el("p", {}, "Roles: " + a.roles.map((r) => r.title).join("; ")));
  }
  panel.append(el("h3", {}, "Neighbours"), ...nodeList(res, id));
}

function articleWithMarks(text, statements, currentId) {
  // statements sorted by start; overlapping quotes keep the first so the text is shown once
  const box = el("div", { id: "article" });
  let at = 0;
  for (const s of [...statements].sort((a, b) => a.quote.start - b.quote.start)) {
    const { start, end } = s.quote;
    if (start < at) continue;
    box.append(text.slice(at, start));
    box.append(el("mark", { class: s.side + (s.id === currentId ? " current" : ""), "data-statement": s.id }, text.slice(start, end)));
    at = end;
  }
  box.append(text.slice(at));
  return box;
}

async function showTrace(id, currentId) {
  const t = await getJSON(`/claims/${id.slice(6)}/trace`);
  const panel = $("#panel");
  panel.replaceChildren();
  const c = t.claim;
  panel.append(el("h2", { id: "claim-text" }, c.text), el("p", { class: "kind" }, c.id),
    el("p", {}, el("span", { class: "side-supports" }, `${t.sides.supports} supporting`), " · ",
      el("span", { class: "side-opposes" }, `${t.sides.opposes} opposing`), " · ",
      el("span", { class: "side-neutral" }, `${t.sides.neutral} neutral`)));
  const names = (side) => [...new Set(t.statements.filter((s) => s.side === side).flatMap((s) => s.speakers.map((p) => p.label)))];
  panel.append(el("dl", { class: "meta" },
    el("dt", {}, "Asserted by"), el("dd", { id: "asserters" }, names("supports").join(", ") || "—"),
    el("dt", {}, "Denied by"), el("dd", { id: "deniers" }, names("opposes").join(", ") || "—")));
  const current = (t.statements.some((s) => s.id === currentId) && currentId) || (t.statements.find((s) => s.side === "supports") || t.statements[0] || {}).id;
  const list = el("div", { id: "statements" });
  for (const s of t.statements) {
    const who = s.speakers.map((p) => p.label + (p.roles.length ? ` (${p.roles[0]})` : "")).join(", ") || "the article";
    list.append(el("div", { class: `stmt ${s.side}` + (s.id === current ? " current" : ""), "data-statement": s.id,
        onclick: () => showTrace(id, s.id).catch(showError) },
      el("strong", {}, who), " ", el("em", { class: "side-" + s.side }, s.cue || s.stance),
      s.recipient ? ` to ${s.recipient.label}` : "", ": “", s.quote.exact, "” ",
      el("span", { class: "kind" }, `${s.stance} · ${s.side}`)));
  }
  panel.append(el("h3", {}, "Statements"), list);
  const cur = t.statements.find((s) => s.id === current);
  if (cur && cur.source) {
    const src = await getJSON(`/sources/${cur.source.id.slice(7)}`);
    const same = t.statements.filter((s) => s.source && s.source.id === cur.source.id);
    panel.append(el("h3", {}, "In the article"),
      el("p", { class: "sentence", id: "sentence" }, cur.quote.sentence),
      el("p", {}, el("a", { id: "source-link", href: src.url || "#", rel: "noopener" }, src.title || src.id),
        src.publisher ? ` — ${src.publisher.name || src.publisher.id}` : "", src.date ? `, ${src.date}` : ""),
      articleWithMarks(src.text, same, current));
    const m = panel.querySelector("mark.current");
    if (m) m.scrollIntoView({ block: "center" });
  }
  if (t.related.length) {
    panel.append(el("h3", {}, "Related claims"), el("ul", {}, ...t.related.map((r) =>
      el("li", {}, el("button", { class: "link", onclick: () => openNode(r.id).catch(showError) }, r.text)))));
  }
}

function showError(err) {
  $("#panel").replaceChildren(el("p", { class: "error" }, "Error: " + err.message));
}

$("#search-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const q = $("#q").value.trim();
  if (!q) return;
  try {
    const res = await getJSON(`/search?q=${encodeURIComponent(q)}&limit=20`);
    const ol = $("#results");
    ol.replaceChildren(...res.hits.map((h) => el("li", {}, el("span", { class: "kind" }, h.kind),
      el("button", { "data-id": h.id, onclick: () => openNode(h.id).catch(showError) }, h.text.length > 140 ? h.text.slice(0, 139) + "…" : h.text))));
    if (!res.hits.length) ol.replaceChildren(el("li", {}, "No match."));
  } catch (e) { showError(e); }
});

cy.on("tap", "node", (ev) => openNode(ev.target.id()).catch(showError));
if (location.hash.length > 1) openNode(decodeURIComponent(location.hash.slice(1))).catch(showError);
