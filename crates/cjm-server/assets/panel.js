// The side panel of the editor: the selected cell's fields, evidence, personas and comments; map settings otherwise.

import { api, t, h, ctx, canWrite, fail } from "./common.js";
import { edit, currentMap, ensureCell, cellAt } from "./editor.js";

const LEVELS = ["", "low", "medium", "high"];
const SOURCES = ["interview", "survey", "analytics", "support_tickets", "review", "other"];

function field(label, input) {
  return h("label", { class: "field" }, h("span", {}, label), input);
}

function levelSelect(value, onchange) {
  return h("select", { disabled: !canWrite(), onchange: (e) => onchange(e.target.value || undefined) },
    LEVELS.map((l) => h("option", { value: l, selected: (value || "") === l }, l ? t(l) : "—")));
}

function textInput(value, onchange, attrs) {
  return h("input", Object.assign({ value: value == null ? "" : value, readonly: !canWrite(), onchange: (e) => onchange(e.target.value) }, attrs || {}));
}

function numberInput(value, onchange) {
  return textInput(value, (v) => onchange(v.trim() === "" ? undefined : Number(v)), { type: "number", step: "any" });
}

/** Edits the selected cell, creating it on the first change. */
function editCell(sel, apply) {
  edit((m) => apply(ensureCell(m, sel.lane, sel.stage, sel.step), m));
}

function setOrDelete(obj, key, value) {
  if (value === undefined || value === "") delete obj[key]; else obj[key] = value;
}

function evidenceFields(sel, cell) {
  const ev = (cell && cell.evidence) || null;
  const kind = h("select", { disabled: !canWrite(), "aria-label": t("evidence"), onchange: (e) => editCell(sel, (c) => {
    const k = e.target.value;
    if (!k) delete c.evidence;
    else if (k === "assumed") c.evidence = { kind: "assumed" };
    else if (k === "observed") c.evidence = { kind: "observed", source: "interview" };
    else c.evidence = { kind: "measured", query: "" };
  }) }, ["", "assumed", "observed", "measured"].map((k) => h("option", { value: k, selected: (ev ? ev.kind : "") === k }, k ? t(k) : t("none"))));
  const parts = [field(t("evidence"), kind)];
  if (ev && ev.kind === "observed") {
    parts.push(field(t("source"), h("select", { disabled: !canWrite(), onchange: (e) => editCell(sel, (c) => { c.evidence.source = e.target.value; }) },
      SOURCES.map((x) => h("option", { value: x, selected: ev.source === x }, x.replace("_", " "))))));
    parts.push(field(t("name"), textInput(ev.name, (v) => editCell(sel, (c) => setOrDelete(c.evidence, "name", v)))));
  }
  if (ev && ev.kind === "measured") {
    parts.push(field("Query", textInput(ev.query, (v) => editCell(sel, (c) => { c.evidence.query = v; }))));
  }
  if (ev && ev.kind !== "measured") {
    parts.push(field(t("note"), textInput(ev.note, (v) => editCell(sel, (c) => setOrDelete(c.evidence, "note", v)))));
  }
  return parts;
}

function kindFields(sel, kind, cell) {
  const c = cell || {};
  const set = (key) => (v) => editCell(sel, (x) => setOrDelete(x, key, v));
  switch (kind) {
    case "emotions":
      return [field(t("score"), numberInput(c.score, set("score"))), field(t("importance"), levelSelect(c.importance, set("importance")))];
    case "touchpoints":
      return [field(t("channel"), textInput(c.channel, set("channel"), { list: "channel-list" })), field(t("owner_field"), textInput(c.owner, set("owner")))];
    case "pain_points":
      return [field(t("severity"), levelSelect(c.severity, set("severity"))),
        field(t("critical"), h("input", { type: "checkbox", checked: !!c.critical, disabled: !canWrite(), onchange: (e) => editCell(sel, (x) => setOrDelete(x, "critical", e.target.checked || undefined)) }))];
    case "opportunities":
      return [field(t("impact"), levelSelect(c.impact, set("impact"))), field(t("effort"), levelSelect(c.effort, set("effort")))];
    case "metrics": {
      const m = c.metric || {};
      const setM = (key) => (v) => editCell(sel, (x) => { x.metric = x.metric || { name: "" }; setOrDelete(x.metric, key, v); if (key === "name") x.metric.name = v || ""; });
      return [field(t("metric"), textInput(m.name, setM("name"))), field(t("value"), numberInput(m.value, setM("value"))),
        field(t("target"), numberInput(m.target, setM("target"))), field(t("unit"), textInput(m.unit, setM("unit")))];
    }
    default:
      return [];
  }
}

function personaChecks(sel, cell) {
  const map = currentMap();
  if (!map.personas || !map.personas.length) return [];
  const chosen = new Set((cell && cell.personas) || []);
  return [h("fieldset", {}, h("legend", {}, t("personas")), map.personas.map((p) => h("label", { class: "check" },
    h("input", { type: "checkbox", checked: chosen.has(p.id), disabled: !canWrite(), onchange: (e) => editCell(sel, (x) => {
      const set = new Set(x.personas || []);
      if (e.target.checked) set.add(p.id); else set.delete(p.id);
      x.personas = [...set];
      if (!x.personas.length) delete x.personas;
    }) }), p.name)))];
}

function commentsBox(cell) {
  const box = h("section", { class: "comments", "aria-label": t("comments") }, h("h3", {}, t("comments")));
  if (!cell || !cell.id) return box;
  const list = h("ul", { class: "comment-list" });
  const load = async () => {
    try {
      const items = await api("GET", `/api/maps/${encodeURIComponent(ctx.map_id)}/comments?cell=${encodeURIComponent(cell.id)}`);
      list.replaceChildren(...items.map((c) => h("li", {}, h("strong", {}, c.author_name || "—"), " ", h("time", {}, new Date(c.created_at * 1000).toLocaleString()), h("p", {}, c.text))));
    } catch (e) { fail(e); }
  };
  load();
  box.append(list);
  if (ctx.role !== "viewer" && ctx.role !== "share") {
    const input = h("textarea", { rows: 2, "aria-label": t("add_comment") });
    box.append(input, h("button", { type: "button", onclick: async () => {
      if (!input.value.trim()) return;
      try {
        await api("POST", `/api/maps/${encodeURIComponent(ctx.map_id)}/comments`, { cell: cell.id, text: input.value });
        input.value = "";
        load();
      } catch (e) { fail(e); }
    } }, t("add_comment")));
  }
  return box;
}

function mapSettings() {
  const map = currentMap();
  const attached = new Set((map.personas || []).map((p) => p.id));
  const box = h("div", {}, h("h2", {}, t("attach_personas")));
  const list = h("div", {});
  box.append(list);
  api("GET", "/api/personas").then((all) => {
    list.replaceChildren(...all.map((entry) => h("label", { class: "check" },
      h("input", { type: "checkbox", checked: attached.has(entry.persona.id), disabled: !canWrite(), onchange: (e) => edit((m) => {
        m.personas = (m.personas || []).filter((p) => p.id !== entry.persona.id);
        if (e.target.checked) m.personas.push(entry.persona);
        if (!m.personas.length) delete m.personas;
      }) }), entry.persona.name)));
  }).catch(fail);
  box.append(field(t("description"), h("textarea", { rows: 3, readonly: !canWrite(), value: map.description || "",
    onchange: (e) => edit((m) => setOrDelete(m, "description", e.target.value)) })));
  return box;
}

/** The panel for the selected cell (`sel` = {lane, stage, step}) or for the map when nothing is selected. */
export function cellPanel(sel) {
  const map = currentMap();
  if (!sel) return mapSettings();
  const lane = map.lanes.find((l) => l.id === sel.lane);
  const stage = map.stages.find((s) => s.id === sel.stage);
  const step = stage && stage.steps.find((s) => s.id === sel.step);
  if (!lane || !step) return mapSettings();
  const cell = cellAt(lane, stage, step);
  const title = (lane.title || lane.kind.replace(/_/g, " ")) + " · " + stage.name + " · " + step.name;
  return h("div", { class: "cell-panel" },
    h("h2", {}, t("cell")), h("p", { class: "where" }, title),
    field(t("text"), h("textarea", { rows: 3, readonly: !canWrite(), value: cell ? cell.text || "" : "",
      onchange: (e) => editCell(sel, (c) => { c.text = e.target.value; }) })),
    kindFields(sel, lane.kind, cell), evidenceFields(sel, cell), personaChecks(sel, cell),
    h("p", {}, h("button", { type: "button", onclick: () => { document.dispatchEvent(new CustomEvent("cjm-deselect")); } }, t("attach_personas"))),
    commentsBox(cell));
}
