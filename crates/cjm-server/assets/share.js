// Read-only share links of a map: create (the URL is shown once), list and revoke.

import { api, t, h, ctx, fail } from "./common.js";

const list = document.getElementById("share-list");
const created = document.getElementById("share-created");
const base = "/api/maps/" + encodeURIComponent(ctx.map_id) + "/shares";

async function load() {
  if (!list) return;
  try {
    const links = await api("GET", base);
    list.replaceChildren(...links.map((link) => h("li", {},
      "#" + link.id + " · " + new Date(link.created_at * 1000).toLocaleString() + " ",
      h("button", { type: "button", onclick: async () => {
        try { await api("DELETE", "/api/shares/" + encodeURIComponent(link.id)); load(); } catch (e) { fail(e); }
      } }, t("revoke")))));
  } catch (error) { fail(error); }
}

const create = document.getElementById("share-create");
if (create) create.addEventListener("click", async () => {
  try {
    const link = await api("POST", base, {});
    const url = location.origin + link.url;
    created.replaceChildren(h("a", { href: url }, url));
    load();
  } catch (error) { fail(error); }
});
load();
