// Charts of the Data screen drawn as SVG: funnel bars, a paths Sankey and a process graph.

import { s, h, t } from "./common.js";

const fmt = (n) => Number(n).toLocaleString();

/** Funnel bars from the funnel kernel's report: one row per step with customers reached and conversion. */
export function funnelBars(report) {
  const top = Math.max(1, report.cases);
  const table = h("table", { class: "funnel", id: "funnel-table" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("step")), h("th", { scope: "col" }, t("reached")), h("th", { scope: "col" }, t("conversion")), h("th", { scope: "col" }, ""))),
    h("tbody", {}, report.steps.map((step) => h("tr", {},
      h("th", { scope: "row" }, step.name), h("td", { class: "num" }, fmt(step.customers)),
      h("td", { class: "num" }, (100 * step.conversion_from_first).toFixed(1) + "%"),
      h("td", {}, h("div", { class: "bar", style: `width:${Math.round(300 * step.customers / top)}px` }))))));
  return h("div", {}, h("p", {}, t("cases") + ": " + fmt(report.cases)), table);
}

/** A Sankey of the paths kernel's report: columns by depth from the anchor, bands by cases. */
export function sankey(report) {
  const nodes = report.sankey.nodes.map((n, i) => ({ id: i, label: n.activity, depth: n.depth, count: n.cases }));
  const links = report.sankey.links;
  const depthMin = Math.min(0, ...nodes.map((n) => n.depth));
  const depthMax = Math.max(0, ...nodes.map((n) => n.depth));
  const colW = 190, width = (depthMax - depthMin + 1) * colW + 120, height = 420, gap = 8;
  const byDepth = [];
  for (const n of nodes) (byDepth[n.depth - depthMin] = byDepth[n.depth - depthMin] || []).push(n);
  const columns = byDepth.filter(Boolean);
  const total = Math.max(1, ...columns.map((col) => col.reduce((a, n) => a + n.count, 0)));
  const k = (height - 20 - gap * Math.max(1, ...columns.map((c) => c.length))) / total;
  const pos = new Map();
  byDepth.forEach((col, d) => {
    if (!col) return;
    let y = 10;
    for (const n of col) {
      pos.set(n.id, { x: 10 + d * colW, y, h: Math.max(2, n.count * k), out: 0, in: 0, n });
      y += Math.max(2, n.count * k) + gap;
    }
  });
  const svg = s("svg", { width, height, viewBox: `0 0 ${width} ${height}`, class: "sankey", role: "img", "aria-label": t("paths") });
  for (const l of links) {
    const a = pos.get(l.source), b = pos.get(l.target);
    if (!a || !b) continue;
    const w = Math.max(1, l.cases * k);
    const y0 = a.y + a.out + w / 2, y1 = b.y + b.in + w / 2;
    a.out += w; b.in += w;
    const x0 = a.x + 12, x1 = b.x, mid = (x0 + x1) / 2;
    svg.append(s("path", { d: `M${x0},${y0} C${mid},${y0} ${mid},${y1} ${x1},${y1}`, class: "band", "stroke-width": w },
      s("title", {}, `${a.n.label} → ${b.n.label}: ${fmt(l.cases)}`)));
  }
  for (const p of pos.values()) {
    svg.append(s("rect", { x: p.x, y: p.y, width: 12, height: p.h, class: "node" }, s("title", {}, `${p.n.label}: ${fmt(p.n.count)}`)));
    svg.append(s("text", { x: p.x + 16, y: p.y + Math.min(p.h, 24) / 2 + 4, class: "label" }, `${p.n.label} (${fmt(p.n.count)})`));
  }
  return svg;
}

/** A process graph (directly-follows): activities in layers from the start, edges weighted by frequency. */
export function processGraph(report) {
  const edges = [...report.edges].sort((a, b) => b.count - a.count).slice(0, 40);
  const g = { nodes: report.activities.map(([activity, count]) => ({ activity, count })) };
  const names = g.nodes.map((n) => n.activity);
  const layer = new Map();
  const byStarts = Object.entries(report.start || {}).sort((a, b) => b[1] - a[1]).map((e) => e[0]);
  const starts = byStarts.length ? byStarts.slice(0, 1) : names.slice(0, 1);
  for (const st of starts) layer.set(st, 0);
  for (let round = 0; round < names.length; round++) {
    for (const e of edges) if (layer.has(e.from) && !layer.has(e.to)) layer.set(e.to, layer.get(e.from) + 1);
  }
  for (const n of names) if (!layer.has(n)) layer.set(n, 0);
  const rows = [];
  for (const n of g.nodes) (rows[layer.get(n.activity)] = rows[layer.get(n.activity)] || []).push(n);
  const boxW = 170, boxH = 40, rowH = 90, colW = 200;
  const width = Math.max(...rows.map((r) => (r || []).length)) * colW + 40, height = rows.length * rowH + 40;
  const pos = new Map();
  rows.forEach((row, r) => (row || []).forEach((n, c) => pos.set(n.activity, { x: 20 + c * colW, y: 20 + r * rowH, n })));
  const top = Math.max(1, ...edges.map((e) => e.count));
  const svg = s("svg", { width, height, viewBox: `0 0 ${width} ${height}`, class: "dfg", role: "img", "aria-label": t("process_graph"), id: "dfg-svg" },
    s("defs", {}, s("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto-start-reverse" }, s("path", { d: "M0,0 L10,5 L0,10 z" }))));
  for (const e of edges) {
    const a = pos.get(e.from), b = pos.get(e.to);
    if (!a || !b) continue;
    const x0 = a.x + boxW / 2, y0 = a.y + boxH, x1 = b.x + boxW / 2, y1 = b.y;
    const d = e.from === e.to ? `M${a.x + boxW},${a.y + 10} c40,-20 40,40 0,20` : `M${x0},${y0} C${x0},${(y0 + y1) / 2 + 30} ${x1},${(y0 + y1) / 2 - 30} ${x1},${y1}`;
    svg.append(s("path", { d, class: "edge", "stroke-width": 1 + 6 * e.count / top, "marker-end": "url(#arrow)" }, s("title", {}, `${e.from} → ${e.to}: ${fmt(e.count)}`)));
  }
  for (const p of pos.values()) {
    svg.append(s("rect", { x: p.x, y: p.y, width: boxW, height: boxH, rx: 6, class: "activity" }));
    svg.append(s("text", { x: p.x + boxW / 2, y: p.y + 25, "text-anchor": "middle" }, `${p.n.activity} (${fmt(p.n.count)})`));
  }
  return svg;
}
