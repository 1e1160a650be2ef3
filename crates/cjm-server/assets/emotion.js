// The emotion curve of the editor: one draggable point per step; also a keyboard slider.

import { s, t, canWrite } from "./common.js";

const HEIGHT = 150;
const PAD = 18;

/** Draws the emotion lane as an SVG curve whose points set the cells' scores when dragged. */
export function emotionCurve(map, lane, steps, col, edit, ensureCell, select) {
  const scale = map.scale || { min: -2, max: 2 };
  const span = scale.max - scale.min || 1;
  const snap = span / 8;
  const y = (score) => PAD + (scale.max - score) / span * (HEIGHT - 2 * PAD);
  const scoreAt = (py) => {
    const raw = scale.max - (py - PAD) / (HEIGHT - 2 * PAD) * span;
    const clamped = Math.min(scale.max, Math.max(scale.min, raw));
    return Math.round(clamped / snap) * snap;
  };
  const width = col * steps.length;
  const svg = s("svg", { width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, class: "emotion-curve", role: "group", "aria-label": lane.title || t("lane") + ": emotions" });
  const zero = Math.min(scale.max, Math.max(scale.min, 0));
  svg.append(s("line", { x1: 0, x2: width, y1: y(zero), y2: y(zero), class: "axis" }));
  const points = steps.map((x, i) => {
    const cell = (lane.cells || []).find((c) => c.step === x.step.id) || (lane.cells || []).find((c) => c.stage === x.stage.id);
    const score = cell && typeof cell.score === "number" ? cell.score : null;
    return { x: col * i + col / 2, score, cell, ...x };
  });
  const line = s("polyline", { class: "curve", points: "" });
  const redrawLine = () => line.setAttribute("points", points.filter((p) => p.score !== null).map((p) => `${p.x},${y(p.score)}`).join(" "));
  redrawLine();
  svg.append(line);
  for (const p of points) {
    const label = (lane.title || "emotions") + ", " + p.stage.name + ", " + p.step.name;
    const dot = s("circle", {
      cx: p.x, cy: y(p.score === null ? zero : p.score), r: 9, tabindex: 0,
      class: p.score === null ? "point unset" : "point",
      role: "slider", "aria-label": label, "aria-valuemin": scale.min, "aria-valuemax": scale.max,
      "aria-valuenow": p.score === null ? "" : p.score, "data-step": p.step.id, "data-lane": lane.id,
    }, s("title", {}, t("emotion_hint")));
    const commit = (score) => edit((m) => { ensureCell(m, lane.id, p.stage.id, p.step.id).score = score; });
    dot.addEventListener("focus", () => select(lane.id, p.stage.id, p.step.id));
    dot.addEventListener("keydown", (e) => {
      if (!canWrite()) return;
      const base = p.score === null ? zero : p.score;
      if (e.key === "ArrowUp") { e.preventDefault(); commit(Math.min(scale.max, base + snap)); }
      if (e.key === "ArrowDown") { e.preventDefault(); commit(Math.max(scale.min, base - snap)); }
    });
    dot.addEventListener("pointerdown", (e) => {
      if (!canWrite()) return;
      e.preventDefault();
      dot.setPointerCapture(e.pointerId);
      const box = svg.getBoundingClientRect();
      const toSvgY = (clientY) => (clientY - box.top) * HEIGHT / box.height;
      const onMove = (ev) => {
        p.score = scoreAt(toSvgY(ev.clientY));
        dot.setAttribute("cy", y(p.score));
        dot.setAttribute("class", "point dragging");
        redrawLine();
      };
      const onUp = (ev) => {
        dot.removeEventListener("pointermove", onMove);
        dot.removeEventListener("pointerup", onUp);
        commit(scoreAt(toSvgY(ev.clientY)));
      };
      dot.addEventListener("pointermove", onMove);
      dot.addEventListener("pointerup", onUp);
    });
    svg.append(dot);
    if (p.cell && p.cell.text) {
      svg.append(s("text", { x: p.x, y: Math.min(HEIGHT - 4, y(p.score === null ? zero : p.score) + 24), class: "emotion-label", "text-anchor": "middle" }, p.cell.text));
    }
  }
  return svg;
}
