// Charts of the Data screen drawn as SVG: funnel bars, a paths Sankey and a process graph.

import { s, h, t } from "./common.js";

const fmt = (n) => Number(n).toLocaleString();

/** Funnel bars: one per step, width by cases reached, with conversion from the first step. */
export function funnelBars(answer) {
  const top = Math.max(1, answer.levels.length ? answer.levels[0].cases : 1);
  const table = h("table", { class: "funnel", id: "funnel-table" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("step")), h("th", { scope: "col" }, t("reached")), h("th", { scope: "col" }, t("conversion")), h("th", { scope: "col" }, ""))),
    h("tbody", {}, answer.levels.map((l) => h("tr", {},
      h("th", { scope: "row" }, l.step), h("td", { class: "num" }, fmt(l.cases)),
      h("td", { class: "num" }, (100 * l.cases / top).toFixed(1) + "%"),
      h("td", {}, h("div", { class: "bar", style: `width:${Math.round(300 * l.cases / top)}px` }))))));
  return h("div", {}, h("p", {}, t("cases") + ": " + fmt(answer.cases)), table);
}

/** A Sankey of paths: columns by depth, bands by case counts. `g` = {nodes:[{id,label,depth,count}], links:[{source,target,count}]}. */
export function sankey(g) {
  const depthMax = Math.max(0, ...g.nodes.map((n) => n.depth));
  const colW = 190, width = (depthMax + 1) * colW + 120, height = 420, gap = 8;
  const byDepth = [];
  for (const n of g.nodes) (byDepth[n.depth] = byDepth[n.depth] || []).push(n);
  const total = Math.max(1, ...byDepth.map((col) => col.reduce((a, n) => a + n.count, 0)));
  const k = (height - 20 - gap * Math.max(...byDepth.map((c) => c.length))) / total;
  const pos = new Map();
  byDepth.forEach((col, d) => {
    let y = 10;
    col.sort((a, b) => b.count - a.count);
    for (const n of col) {
      pos.set(n.id, { x: 10 + d * colW, y, h: Math.max(2, n.count * k), out: 0, in: 0, n });
      y += Math.max(2, n.count * k) + gap;
    }
  });
  const svg = s("svg", { width, height, viewBox: `0 0 ${width} ${height}`, class: "sankey", role: "img", "aria-label": t("paths") });
  for (const l of g.links) {
    const a = pos.get(l.source), b = pos.get(l.target);
    if (!a || !b) continue;
    const w = Math.max(1, l.count * k);
    const y0 = a.y + a.out + w / 2, y1 = b.y + b.in + w / 2;
    a.out += w; b.in += w;
    const x0 = a.x + 12, x1 = b.x, mid = (x0 + x1) / 2;
    svg.append(s("path", { d: `M${x0},${y0} C${mid},${y0} ${mid},${y1} ${x1},${y1}`, class: "band", "stroke-width": w },
      s("title", {}, `${a.n.label} → ${b.n.label}: ${fmt(l.count)}`)));
  }
  for (const p of pos.values()) {
    svg.append(s("rect", { x: p.x, y: p.y, width: 12, height: p.h, class: "node" }, s("title", {}, `${p.n.label}: ${fmt(p.n.count)}`)));
    svg.append(s("text", { x: p.x + 16, y: p.y + Math.min(p.h, 24) / 2 + 4, class: "label" }, `${p.n.label} (${fmt(p.n.count)})`));
  }
  return svg;
}

/** A process graph (directly-follows): activities in layers from the start, edges weighted by frequency. */
export function processGraph(g) {
  const edges = [...g.edges].sort((a, b) => b.count - a.count).slice(0, 40);
  const names = g.nodes.map((n) => n.activity);
  const layer = new Map();
  const starts = g.start && g.start.length ? g.start : names.slice(0, 1);
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
  const svg = s("svg", { width, height, viewBox: `0 0 ${width} ${height}`, class: "dfg", role: "img", "aria-label": t("process_graph") },
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
