// Revision history: compare two revisions (the workspace's structural diff) and restore an old one.

import { api, t, h, ctx, fail } from "./common.js";

const base = "/api/maps/" + encodeURIComponent(ctx.map_id);

const form = document.getElementById("compare");
if (form) form.addEventListener("submit", async (e) => {
  e.preventDefault();
  const data = new FormData(form);
  try {
    const diff = await api("GET", `${base}/diff?from=${encodeURIComponent(data.get("from"))}&to=${encodeURIComponent(data.get("to"))}`);
    const out = document.getElementById("diff");
    if (!diff.changes.length) { out.replaceChildren(h("p", {}, "=")); return; }
    out.replaceChildren(h("table", { class: "list", id: "diff-table" },
      h("thead", {}, h("tr", {}, ["", t("kind"), t("name"), "", "−", "+"].map((x) => h("th", { scope: "col" }, x)))),
      h("tbody", {}, diff.changes.map((c) => h("tr", { class: c.kind === "added" ? "add" : c.kind === "removed" ? "del" : "" },
        h("td", {}, c.kind), h("td", {}, c.element), h("td", {}, c.label), h("td", {}, c.field || ""),
        h("td", { class: "del" }, c.old || ""), h("td", { class: "add" }, c.new || ""))))));
  } catch (error) { fail(error); }
});

for (const button of document.querySelectorAll("button[data-restore]")) {
  button.addEventListener("click", async () => {
    try {
      await api("POST", `${base}/revisions/${encodeURIComponent(button.dataset.restore)}/restore`);
      location.href = "/maps/" + encodeURIComponent(ctx.map_id);
    } catch (error) { fail(error); }
  });
}
