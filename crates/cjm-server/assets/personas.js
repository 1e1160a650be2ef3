// The persona editor: the fields of the persona model, saved through the API.

import { api, t, ctx, fail, announce } from "./common.js";

const LISTS = ["goals", "frustrations", "needs", "channels", "sources", "objections"];
const TEXTS = ["name", "occupation", "quote", "segment"];

const form = document.getElementById("persona-form");
if (form) form.addEventListener("submit", async (e) => {
  e.preventDefault();
  const data = new FormData(form);
  const persona = Object.assign({}, ctx.persona || {});
  for (const key of TEXTS) persona[key] = String(data.get(key) || "").trim();
  const age = String(data.get("age") || "").trim();
  if (age) persona.age = Number(age); else delete persona.age;
  for (const key of LISTS) persona[key] = String(data.get(key) || "").split("\n").map((x) => x.trim()).filter(Boolean);
  try {
    if (ctx.persona_id) {
      await api("PUT", "/api/personas/" + encodeURIComponent(ctx.persona_id), { persona });
      announce(t("saved"));
    } else {
      const answer = await api("POST", "/api/personas", { persona });
      location.href = "/personas/" + encodeURIComponent(answer.id);
    }
  } catch (error) { fail(error); }
});

const remove = document.getElementById("persona-delete");
if (remove) remove.addEventListener("click", async () => {
  if (!confirm(t("confirm_delete"))) return;
  try {
    await api("DELETE", "/api/personas/" + encodeURIComponent(ctx.persona_id));
    location.href = "/personas";
  } catch (error) { fail(error); }
});
