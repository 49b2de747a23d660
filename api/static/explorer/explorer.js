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
const SIDE = { supports: "#1a7f37", opposes: "#c62828", neutral: "#999" };
const n = (k, word) => `${k} ${word}${k === 1 ? "" : "s"}`;
const short = (label) => (label.length > 28 ? label.slice(0, 27) + "…" : label);
const cy = cytoscape({
  container: $("#graph"),
  style: [
    { selector: "node", style: { label: "data(short)", "font-size": 9, "background-color": (n) => COLOURS[n.data("kind")] || "#999",
      "text-wrap": "ellipsis", "text-max-width": 120, width: 18, height: 18 } },
    { selector: "node[?root]", style: { width: 26, height: 26, "border-width": 2, "border-color": "#222" } },
    { selector: "edge", style: { label: "data(label)", "font-size": 7, width: 1, "curve-style": "bezier",
      "target-arrow-shape": "triangle", "line-color": "#bbb", "target-arrow-color": "#bbb", color: "#777" } },
    // parallel edges are drawn once with their count (a hub stays readable, not a hairball)
    { selector: "edge[count > 1]", style: { width: (e) => Math.min(1 + Math.log2(e.data("count")), 6) } },
    { selector: "edge[side = 'supports']", style: { "line-color": SIDE.supports, "target-arrow-color": SIDE.supports, color: SIDE.supports } },
    { selector: "edge[side = 'opposes']", style: { "line-color": SIDE.opposes, "target-arrow-color": SIDE.opposes, color: SIDE.opposes } },
    { selector: "node[kind = 'claim']", style: { shape: "round-rectangle", width: 22, height: 16 } },
  ],
  wheelSensitivity: 0.3,
});
window.cy = cy;
const expanded = new Set();
let lastStatement = null; // the quote a user came from is the one highlighted in the claim's trace

function addElements(nodes, edges, rootId) {
  const add = [];
  for (const n of nodes) {
    if (cy.getElementById(n.data.id).empty()) {
      n.data.short = short(n.data.label);
      n.data.root = n.data.id === rootId && cy.nodes().empty();
      add.push({ group: "nodes", data: n.data });
    }
  }
  // one drawn edge per (source, label, target), labelled with how many it stands for
  for (const e of edges) {
    const key = `${e.data.source}|${e.data.label}|${e.data.target}`;
    const have = cy.getElementById(key);
    const pending = add.find((a) => a.data.id === key);
    if (pending) { pending.data.count += e.data.count || 1; pending.data.label = `${pending.data.base} ×${pending.data.count}`; continue; }
    if (!have.empty()) continue;
    const count = e.data.count || 1;
    add.push({ group: "edges", data: { ...e.data, id: key, base: e.data.label, count,
      label: count > 1 ? `${e.data.label} ×${count}` : e.data.label } });
  }
  cy.add(add);
  cy.layout({ name: "cose", animate: false, nodeDimensionsIncludeLabels: true, idealEdgeLength: 90, nodeRepulsion: 9000 }).run();
}

async function expand(id, cursor) {
  const page = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
  const res = await getJSON(`/nodes/${id}/neighbourhood?format=cytoscape&limit=40${page}`);
  addElements(res.elements.nodes, res.elements.edges, id);
  expanded.add(id);
  return res;
}

function nodeList(res, root) {
  const ul = el("ul", { id: "neighbours" });
  for (const n of res.elements.nodes) {
    if (n.data.id === root) continue;
    ul.append(el("li", {}, el("span", { class: "kind" }, n.data.kind),
      el("button", { class: "link", "data-id": n.data.id, onclick: () => openNode(n.data.id) }, n.data.label)));
  }
  const more = res.truncated ? el("p", { class: "hint", id: "groups" }, `Showing ${ul.children.length} neighbours; in all: ` +
    res.groups.map((g) => `${g.label} (${g.direction}): ${g.total}`).join(", ")) : null;
  // a large neighbourhood comes a page at a time
  const next = res.next ? el("button", { id: "more-neighbours", class: "link", onclick: async (ev) => {
    ev.target.disabled = true;
    const page = await expand(root, res.next);
    const [moreUl, , moreNext] = nodeList(page, root);
    ul.append(...moreUl.children);
    if (moreNext) ev.target.replaceWith(moreNext); else ev.target.remove();
  } }, "Show more neighbours") : null;
  return [ul, more, next];
}

let shown = null; // the node the panel shows: a hash change to it is not a new navigation

async function openNode(id) {
  shown = id;
  if (decodeURIComponent(location.hash.slice(1)) !== id) location.hash = id;
  if (id.startsWith("claim/")) { if (!expanded.has(id)) expand(id).catch(showError); return showTrace(id, lastStatement); }
  if (id.startsWith("statement/")) lastStatement = id;
  const res = await expand(id);
  const panel = $("#panel");
  panel.replaceChildren();
  const root = res.elements.nodes.find((n) => n.data.id === id);
  panel.append(el("h2", {}, root ? root.data.label : id), el("p", { class: "kind" }, id));
  if (id.startsWith("actor/")) {
    const a = await getJSON(`/actors/${id}`);
    if (a.aliases.length) panel.append(el("p", {}, "Also: " + a.aliases.join(", ")));
    if (a.roles.length) panel.append(el("p", {}, "Roles: " + a.roles.map((r) => r.title).join("; ")));
  }
  panel.append(el("h3", {}, "Neighbours"), ...nodeList(res, id).filter(Boolean));
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
  const t = await getJSON(`/claims/${id}/trace`);
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
  panel.append(await timelineOf(id));
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
    const src = await getJSON(`/sources/${cur.source.id}`);
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

// the claim's assertions and denials in time order, a page at a time; undated statements are
// counted, never placed by a guess
async function timelineOf(id) {
  const box = el("div", { id: "timeline" }, el("h3", {}, "Timeline"));
  const list = el("ol", { class: "timeline" });
  const more = el("button", { class: "link", id: "timeline-more" }, "more");
  const shown = el("p", { class: "kind", id: "timeline-shown" });
  const page = async (cursor) => {
    const tl = await getJSON(`/claims/${id}/timeline` + (cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""));
    for (const it of tl.items) {
      const who = it.speakers.map((p) => p.name).join(", ") || "the article";
      list.append(el("li", { class: `tl ${it.side}`, "data-day": it.day, "data-statement": it.statement },
        el("time", { datetime: it.day }, it.day), " ", el("strong", {}, who), " ",
        el("em", { class: "side-" + it.side }, it.stance), it.headline ? ` (${it.headline})` : "",
        it.contested_so_far && it.side === "opposes" && !list.querySelector(".contested-from")
          ? el("span", { class: "kind contested-from" }, " · contested from this day") : ""));
    }
    shown.textContent = `${list.children.length} of ${tl.counts.dated} dated statement(s)`;
    more.hidden = !tl.next || list.children.length >= tl.counts.dated;
    more.onclick = () => page(tl.next).catch(showError);
    return tl;
  };
  const tl = await page(null);
  if (tl.counts.dated) box.append(list, shown, more);
  if (tl.counts.undated) {
    box.append(el("p", { class: "kind", id: "undated" }, `${tl.counts.undated} statement(s) without a date: `
      + (tl.undated_note || "their articles give no date")));
  }
  return box;
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

function sideNames(list, side) {
  if (!list.length) return el("span", { class: "side-" + side }, "—");
  const span = el("span", { class: "side-" + side });
  list.forEach((w, i) => {
    if (i) span.append(", ");
    span.append(w.id ? el("button", { class: "link side-" + side, "data-id": w.id, onclick: () => openNode(w.id).catch(showError) }, w.name) : w.name);
    if (w.statements > 1) span.append(` ×${w.statements}`);
  });
  return span;
}

// The first page: the graph before any typing. Contested claims with both sides (in the panel and
// drawn: speakers -> claim, green supports, red opposes, one edge per speaker with its count),
// the most quoted actors and the latest sources; every name is one click from its node.
async function showOverview() {
  shown = null;
  const o = await getJSON("/overview");
  const panel = $("#panel");
  panel.replaceChildren();
  const c = o.counts;
  panel.append(el("h2", {}, "What the store holds"),
    el("p", { id: "counts" }, `${n(c.sources, "source")} · ${n(c.statements, "statement")} · ${n(c.actors, "actor")} · ` +
      `${n(c.claims, "claim")}, ${c.contested} contested`));
  const claims = el("ol", { id: "contested" });
  for (const k of o.contested) {
    claims.append(el("li", { class: "contested-claim" },
      el("button", { class: "link claim-link", "data-id": k.id, onclick: () => openNode(k.id).catch(showError) }, k.text),
      el("div", { class: "sides" },
        el("span", { class: "side-label" }, `supported (${k.supports}) by `), sideNames(k.sides.supports, "supports"),
        el("br"), el("span", { class: "side-label" }, `opposed (${k.opposes}) by `), sideNames(k.sides.opposes, "opposes"))));
  }
  panel.append(el("h3", {}, "Contested claims"), o.contested.length ? claims : el("p", { class: "hint" }, "No claim is both supported and opposed yet."));
  panel.append(el("h3", {}, "Most quoted actors"), el("ol", { id: "top-actors" }, ...o.actors.map((a) => el("li", {},
    el("button", { class: "link", "data-id": a.id, onclick: () => openNode(a.id).catch(showError) }, a.name),
    el("span", { class: "kind" }, ` ${a.type || ""} · ${n(a.statements, "statement")}`)))));
  panel.append(el("h3", {}, "Recent sources"), el("ol", { id: "recent-sources" }, ...o.sources.map((s) => el("li", {},
    el("button", { class: "link", "data-id": s.id, onclick: () => openNode(s.id).catch(showError) }, s.title || s.source_id),
    el("span", { class: "kind" }, ` ${[s.publisher && (s.publisher.name || s.publisher.id), s.date].filter(Boolean).join(", ")}`)))));
  panel.append(el("p", { class: "hint" }, "Click a claim to trace it to the quoted words; click any node in the graph to expand it."));
  cy.elements().remove();
  expanded.clear();
  const nodes = [], edges = [];
  for (const k of o.contested) {
    nodes.push({ data: { id: k.id, label: k.text, kind: "claim" } });
    for (const side of ["supports", "opposes"]) {
      for (const w of k.sides[side]) {
        if (!w.id) continue;
        nodes.push({ data: { id: w.id, label: w.name, kind: "actor" } });
        edges.push({ data: { id: `${w.id}|${side}|${k.id}`, source: w.id, target: k.id, label: side, side, count: w.statements } });
      }
    }
  }
  addElements(nodes, edges, null);
}

function route() {
  const id = decodeURIComponent(location.hash.slice(1));
  if (!id) return showOverview().catch(showError);
  if (id !== shown) return openNode(id).catch(showError);
}

cy.on("tap", "node", (ev) => openNode(ev.target.id()).catch(showError));
window.addEventListener("hashchange", route);
route();
