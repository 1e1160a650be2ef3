// The map editor: an accessible grid of stages × lanes over the JSON API, with undo/redo and autosave.

import { api, t, h, ctx, canWrite, announce, fail } from "./common.js";
import { emotionCurve } from "./emotion.js";
import { cellPanel } from "./panel.js";

const COL = 190; // px per step column; the emotion curve uses the same grid
const LANE_KINDS = ["actions", "goals", "thoughts", "emotions", "touchpoints", "pain_points", "opportunities",
  "metrics", "front_stage", "back_stage", "support_processes", "line_of_visibility", "text"];

const state = { map: null, revision: 0, undo: [], redo: [], saving: false, dirty: false, conflict: false, timer: null, selected: null };
const root = document.getElementById("editor");
const status = document.getElementById("save-state");

/** A fresh id with a prefix, unique within the map. */
export function newId(prefix) {
  return prefix + "-" + Math.random().toString(36).slice(2, 9);
}

/** The current map (read-only use). */
export function currentMap() { return state.map; }

/** Applies `mutate` to the map as one undoable edit, re-renders and schedules a save. */
export function edit(mutate) {
  if (!canWrite() || state.conflict) return;
  state.undo.push(JSON.stringify(state.map));
  if (state.undo.length > 200) state.undo.shift();
  state.redo = [];
  mutate(state.map);
  afterChange();
}

function afterChange() {
  render();
  state.dirty = true;
  setStatus("saving");
  clearTimeout(state.timer);
  state.timer = setTimeout(save, 500);
}

function undo() {
  if (!state.undo.length || state.conflict) return;
  state.redo.push(JSON.stringify(state.map));
  state.map = JSON.parse(state.undo.pop());
  afterChange();
}

function redo() {
  if (!state.redo.length || state.conflict) return;
  state.undo.push(JSON.stringify(state.map));
  state.map = JSON.parse(state.redo.pop());
  afterChange();
}

function setStatus(kind, detail) {
  status.dataset.state = kind;
  status.textContent = t(kind === "error" ? "conflict" : kind) + (detail ? ": " + detail : "");
  if (kind === "error") status.textContent = detail;
}

async function save() {
  if (state.saving) { state.timer = setTimeout(save, 200); return; }
  if (!state.dirty || state.conflict) return;
  state.saving = true;
  state.dirty = false;
  try {
    const answer = await api("PUT", "/api/maps/" + encodeURIComponent(ctx.map_id), { base_revision: state.revision, map: state.map });
    state.revision = answer.revision;
    if (!state.dirty) setStatus("saved");
  } catch (error) {
    if (error.status === 409) {
      state.conflict = true;
      setStatus("conflict");
      showConflict(error.body.current_revision);
    } else {
      state.dirty = true;
      setStatus("error", error.message);
    }
  } finally {
    state.saving = false;
  }
}

function showConflict(current) {
  const banner = document.getElementById("conflict");
  banner.replaceChildren(
    h("p", {}, t("conflict_msg") + " (" + t("revision") + " " + current + ")"),
    h("button", { type: "button", id: "conflict-reload", onclick: () => location.reload() }, t("reload")));
  banner.hidden = false;
}

function move(list, index, delta) {
  const to = index + delta;
  if (to < 0 || to >= list.length) return;
  const [item] = list.splice(index, 1);
  list.splice(to, 0, item);
}

/** Finds the cell of `lane` at `step` (or the stage-wide cell covering it). */
export function cellAt(lane, stage, step) {
  return (lane.cells || []).find((c) => c.step === step.id) ||
    (lane.cells || []).find((c) => c.stage === stage.id);
}

/** Returns the cell of `lane` at `step`, creating it when missing (inside an edit). */
export function ensureCell(map, laneId, stageId, stepId) {
  const lane = map.lanes.find((l) => l.id === laneId);
  lane.cells = lane.cells || [];
  let cell = lane.cells.find((c) => c.step === stepId) || lane.cells.find((c) => c.stage === stageId);
  if (!cell) {
    cell = { id: newId("c"), step: stepId };
    lane.cells.push(cell);
  }
  return cell;
}

function laneTitle(lane) {
  return lane.title || t("lane") + ": " + lane.kind.replace(/_/g, " ");
}

function iconButton(label, glyph, onclick, extra) {
  return h("button", Object.assign({ type: "button", class: "icon", title: label, "aria-label": label, onclick, disabled: !canWrite() }, extra || {}), glyph);
}

function nameInput(value, label, onchange, cls) {
  return h("input", { class: cls || "name", value, "aria-label": label, readonly: !canWrite(),
    onchange: (e) => onchange(e.target.value) });
}

function stageHeader(stage, si) {
  const map = state.map;
  return h("th", { scope: "colgroup", colspan: Math.max(stage.steps.length, 1), class: "stage" },
    nameInput(stage.name, t("stage") + " " + (si + 1), (v) => edit((m) => { m.stages[si].name = v; }), "name stage-name"),
    h("span", { class: "tools" },
      iconButton(t("move_left"), "◀", () => edit((m) => move(m.stages, si, -1))),
      iconButton(t("move_right"), "▶", () => edit((m) => move(m.stages, si, 1))),
      iconButton(t("add_step"), "+", () => edit((m) => m.stages[si].steps.push({ id: newId("st"), name: t("step") + " " + (m.stages[si].steps.length + 1) }))),
      iconButton(t("delete") + " " + stage.name, "×", () => {
        if (map.stages.length > 1 && confirm(t("confirm_delete"))) edit((m) => removeStage(m, si));
      })));
}

function removeStage(map, si) {
  const stage = map.stages[si];
  const stepIds = new Set(stage.steps.map((s) => s.id));
  for (const lane of map.lanes) lane.cells = (lane.cells || []).filter((c) => c.stage !== stage.id && !stepIds.has(c.step));
  map.stages.splice(si, 1);
}

function removeStep(map, si, pi) {
  const step = map.stages[si].steps[pi];
  for (const lane of map.lanes) lane.cells = (lane.cells || []).filter((c) => c.step !== step.id);
  map.stages[si].steps.splice(pi, 1);
}

function stepHeader(stage, si, step, pi) {
  return h("th", { scope: "col", class: "step" },
    nameInput(step.name, t("stage") + " " + stage.name + ", " + t("step") + " " + (pi + 1),
      (v) => edit((m) => { m.stages[si].steps[pi].name = v; })),
    h("span", { class: "tools" },
      iconButton(t("move_left"), "◀", () => edit((m) => move(m.stages[si].steps, pi, -1))),
      iconButton(t("move_right"), "▶", () => edit((m) => move(m.stages[si].steps, pi, 1))),
      iconButton(t("delete") + " " + step.name, "×", () => {
        if (stage.steps.length > 1 && confirm(t("confirm_delete"))) edit((m) => removeStep(m, si, pi));
      })));
}

function laneHeader(lane, li) {
  return h("th", { scope: "row", class: "lane-head kind-" + lane.kind },
    nameInput(lane.title || "", t("lane") + " " + (li + 1), (v) => edit((m) => { m.lanes[li].title = v; }), "name lane-name"),
    h("span", { class: "kind" }, lane.kind.replace(/_/g, " ")),
    h("span", { class: "tools" },
      iconButton(t("move_up"), "▲", () => edit((m) => move(m.lanes, li, -1))),
      iconButton(t("move_down"), "▼", () => edit((m) => move(m.lanes, li, 1))),
      iconButton(t("delete") + " " + laneTitle(lane), "×", () => {
        if (confirm(t("confirm_delete"))) edit((m) => m.lanes.splice(li, 1));
      })));
}

function cellSummary(lane, cell) {
  const bits = [];
  if (!cell) return bits;
  if (cell.channel) bits.push(h("span", { class: "chip" }, cell.channel));
  if (cell.severity) bits.push(h("span", { class: "chip sev-" + cell.severity }, t("severity") + ": " + t(cell.severity)));
  if (cell.critical) bits.push(h("span", { class: "chip critical" }, t("critical")));
  if (cell.impact) bits.push(h("span", { class: "chip" }, t("impact") + ": " + t(cell.impact)));
  if (cell.effort) bits.push(h("span", { class: "chip" }, t("effort") + ": " + t(cell.effort)));
  if (cell.metric) {
    const m = cell.metric;
    bits.push(h("span", { class: "chip metric" }, m.name + (m.value != null ? " " + m.value + (m.unit || "") : "") + (m.target != null ? " / " + m.target : "")));
  }
  if (cell.evidence) bits.push(h("span", { class: "chip ev-" + cell.evidence.kind }, t(cell.evidence.kind)));
  return bits;
}

function dataCell(lane, li, stage, step, label) {
  const cell = cellAt(lane, stage, step);
  const selected = state.selected && state.selected.lane === lane.id && state.selected.step === step.id;
  const text = h("textarea", { class: "cell-text", rows: 3, "aria-label": label, readonly: !canWrite(),
    "data-lane": lane.id, "data-step": step.id, value: cell ? cell.text || "" : "",
    onfocus: () => select(lane.id, stage.id, step.id),
    onchange: (e) => edit((m) => { ensureCell(m, lane.id, stage.id, step.id).text = e.target.value; }) });
  return h("td", { class: "cell kind-" + lane.kind + (selected ? " selected" : "") }, text, h("div", { class: "chips" }, cellSummary(lane, cell)));
}

function select(laneId, stageId, stepId) {
  const changed = !state.selected || state.selected.lane !== laneId || state.selected.step !== stepId;
  state.selected = { lane: laneId, stage: stageId, step: stepId };
  if (changed) {
    for (const td of root.querySelectorAll("td.selected")) td.classList.remove("selected");
    const area = root.querySelector(`textarea[data-lane="${CSS.escape(laneId)}"][data-step="${CSS.escape(stepId)}"]`);
    if (area) area.parentElement.classList.add("selected");
    renderPanel();
  }
}

function renderPanel() {
  const panel = document.getElementById("panel");
  panel.replaceChildren(cellPanel(state.selected));
}

function render() {
  const map = state.map;
  document.getElementById("map-title").value = map.title;
  const steps = [];
  map.stages.forEach((stage, si) => stage.steps.forEach((step, pi) => steps.push({ stage, si, step, pi })));
  const table = h("table", { class: "grid", "aria-label": map.title, style: `width:${220 + COL * steps.length}px` });
  table.append(h("colgroup", {}, h("col", { style: "width:220px" }), steps.map(() => h("col", { style: `width:${COL}px` }))));
  const thead = h("thead", {},
    h("tr", {}, h("td", { class: "corner" }), map.stages.map((stage, si) => stageHeader(stage, si))),
    h("tr", {}, h("td", { class: "corner" }), steps.map((x) => stepHeader(x.stage, x.si, x.step, x.pi))));
  const tbody = h("tbody");
  map.lanes.forEach((lane, li) => {
    const row = h("tr", { class: "lane-row" }, laneHeader(lane, li));
    if (lane.kind === "line_of_visibility") {
      row.append(h("td", { colspan: steps.length, class: "visibility" }, h("hr", { "aria-label": laneTitle(lane) })));
    } else if (lane.kind === "emotions") {
      row.append(h("td", { colspan: steps.length, class: "emotion-cell" }, emotionCurve(map, lane, steps, COL, edit, ensureCell, select)));
    } else {
      for (const x of steps) row.append(dataCell(lane, li, x.stage, x.step, laneTitle(lane) + ", " + x.stage.name + ", " + x.step.name));
    }
    tbody.append(row);
  });
  table.append(thead, tbody);
  const focused = document.activeElement;
  const focusKey = focused && focused.dataset ? [focused.dataset.lane, focused.dataset.step, focused.className] : null;
  root.replaceChildren(table);
  if (focusKey && focusKey[0]) {
    const again = root.querySelector(`[data-lane="${CSS.escape(focusKey[0])}"][data-step="${CSS.escape(focusKey[1])}"]`);
    if (again) again.focus({ preventScroll: true });
  }
  document.getElementById("undo").disabled = !state.undo.length;
  document.getElementById("redo").disabled = !state.redo.length;
  renderPanel();
}

function moveFocus(from, dRow, dCol) {
  const areas = [...root.querySelectorAll("[data-lane][data-step]")];
  const rows = [...new Set(areas.map((a) => a.dataset.lane))];
  const cols = [...new Set(areas.map((a) => a.dataset.step))];
  const r = rows.indexOf(from.dataset.lane) + dRow;
  const c = cols.indexOf(from.dataset.step) + dCol;
  if (r < 0 || c < 0 || r >= rows.length || c >= cols.length) return;
  const target = root.querySelector(`[data-lane="${CSS.escape(rows[r])}"][data-step="${CSS.escape(cols[c])}"]`);
  if (target) target.focus();
}

function toolbar() {
  document.getElementById("undo").addEventListener("click", undo);
  document.getElementById("redo").addEventListener("click", redo);
  document.getElementById("map-title").addEventListener("change", (e) => edit((m) => { m.title = e.target.value; }));
  document.getElementById("add-stage").addEventListener("click", () => edit((m) => m.stages.push({
    id: newId("s"), name: t("stage") + " " + (m.stages.length + 1), steps: [{ id: newId("st"), name: t("step") + " 1" }] })));
  const kind = document.getElementById("lane-kind");
  kind.replaceChildren(...LANE_KINDS.map((k) => h("option", { value: k }, k.replace(/_/g, " "))));
  document.getElementById("add-lane").addEventListener("click", () => edit((m) => m.lanes.push({ id: newId("l"), kind: kind.value, cells: [] })));
  document.addEventListener("keydown", (e) => {
    const mod = e.ctrlKey || e.metaKey;
    if (mod && e.key.toLowerCase() === "z" && !e.shiftKey) { e.preventDefault(); undo(); }
    else if (mod && (e.key.toLowerCase() === "y" || (e.key.toLowerCase() === "z" && e.shiftKey))) { e.preventDefault(); redo(); }
    else if (e.altKey && e.target.dataset && e.target.dataset.lane) {
      const d = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[e.key];
      if (d) { e.preventDefault(); moveFocus(e.target, d[0], d[1]); }
    }
  });
  document.addEventListener("cjm-deselect", () => { state.selected = null; renderPanel(); });
  window.addEventListener("beforeunload", (e) => { if (state.dirty || state.saving) e.preventDefault(); });
}

async function start() {
  try {
    const answer = await api("GET", "/api/maps/" + encodeURIComponent(ctx.map_id));
    state.map = answer.map;
    state.revision = answer.revision;
    toolbar();
    render();
    setStatus("saved");
    announce("");
  } catch (error) { fail(error); }
}

start();
