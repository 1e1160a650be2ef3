// The Data screen: upload event files with progress, map columns, see store stats, funnel, paths and process graph.

import { api, upload, t, h, ctx, fail, announce } from "./common.js";
import { sankey, processGraph, funnelBars } from "./charts.js";

const $ = (id) => document.getElementById(id);
let current = null; // the upload being mapped

const fileInput = $("event-file");
if (fileInput) fileInput.addEventListener("change", async () => {
  const file = fileInput.files[0];
  if (!file) return;
  const bar = $("upload-progress");
  bar.hidden = false;
  bar.value = 0;
  announce(t("uploading"));
  try {
    current = await upload("/api/uploads?name=" + encodeURIComponent(file.name), file, (f) => { bar.value = f; });
    bar.value = 1;
    announce("");
    showMapping(current);
  } catch (error) { fail(error); }
});

function columnSelect(name, columns, guess) {
  const pick = columns.find((c) => guess.test(c)) || "";
  return h("select", { name, id: "map-" + name },
    h("option", { value: "" }, "(auto)"),
    columns.map((c) => h("option", { value: c, selected: c === pick }, c)));
}

function showMapping(up) {
  const box = $("mapping");
  box.hidden = false;
  const cols = up.columns;
  const preview = h("table", { class: "preview" },
    h("caption", {}, t("first_rows") + " — " + up.name),
    h("thead", {}, h("tr", {}, cols.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, up.rows.map((row) => h("tr", {}, row.map((v) => h("td", {}, v))))));
  const form = h("form", { id: "mapping-form" },
    h("label", {}, t("case_column"), columnSelect("case", cols, /case|customer|user|session|client/i)),
    h("label", {}, t("activity_column"), columnSelect("activity", cols, /activity|event|action|concept:name/i)),
    h("label", {}, t("time_column"), columnSelect("timestamp", cols, /time|date|ts/i)),
    h("label", {}, t("store_name"), h("input", { name: "store", id: "store-name", required: true, pattern: "[A-Za-z0-9_-]{1,64}", value: up.suggested_store })),
    h("button", { type: "submit", id: "import-store" }, t("import")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    announce(t("importing"));
    try {
      const store = await api("POST", "/api/stores", { upload: up.id, name: data.get("store"), case: data.get("case"), activity: data.get("activity"), timestamp: data.get("timestamp") });
      announce("");
      location.href = "/data/" + encodeURIComponent(store.name);
    } catch (error) { fail(error); }
  });
  box.replaceChildren(h("h2", {}, t("column_mapping")), form, preview);
}

const funnelForm = $("funnel-form");
if (funnelForm) funnelForm.addEventListener("submit", async (e) => {
  e.preventDefault();
  const data = new FormData(funnelForm);
  const steps = String(data.get("steps")).split("\n").map((x) => x.trim()).filter(Boolean);
  try {
    const answer = await api("POST", `/api/stores/${encodeURIComponent(ctx.store)}/funnel`, { steps, window_seconds: Math.round(Number(data.get("window")) * 3600), mode: data.get("mode") || "default" });
    $("funnel-result").replaceChildren(funnelBars(answer));
  } catch (error) { fail(error); }
});

const pathsForm = $("paths-form");
if (pathsForm) pathsForm.addEventListener("submit", async (e) => {
  e.preventDefault();
  const data = new FormData(pathsForm);
  try {
    const answer = await api("GET", `/api/stores/${encodeURIComponent(ctx.store)}/paths?start=${encodeURIComponent(data.get("start"))}&depth=${encodeURIComponent(data.get("depth"))}`);
    $("paths-result").replaceChildren(sankey(answer));
  } catch (error) { fail(error); }
});

const dfgBox = $("dfg-result");
if (dfgBox) api("GET", `/api/stores/${encodeURIComponent(ctx.store)}/dfg`).then((g) => dfgBox.replaceChildren(processGraph(g))).catch(fail);

const attach = $("attach-form");
if (attach) attach.addEventListener("submit", async (e) => {
  e.preventDefault();
  const map = new FormData(attach).get("map");
  try {
    await api("PUT", `/api/maps/${encodeURIComponent(map)}/store`, { store: ctx.store });
    location.href = `/maps/${encodeURIComponent(map)}/data`;
  } catch (error) { fail(error); }
});
