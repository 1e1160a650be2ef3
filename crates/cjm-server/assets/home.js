// The workspace home: search maps and personas, create a map from a template, import a map file.

import { api, t, fail, announce } from "./common.js";

const search = document.getElementById("search");
if (search) search.addEventListener("input", () => {
  const q = search.value.trim().toLowerCase();
  for (const item of document.querySelectorAll("[data-search]")) {
    item.hidden = q !== "" && !item.dataset.search.toLowerCase().includes(q);
  }
});

const create = document.getElementById("create-map");
if (create) create.addEventListener("submit", async (e) => {
  e.preventDefault();
  const form = new FormData(create);
  try {
    const answer = await api("POST", "/api/maps", { template: form.get("template"), lang: form.get("lang"), title: form.get("title") || null });
    location.href = "/maps/" + encodeURIComponent(answer.id);
  } catch (error) { fail(error); }
});

const importInput = document.getElementById("import-file");
if (importInput) importInput.addEventListener("change", async () => {
  const file = importInput.files[0];
  if (!file) return;
  try {
    const answer = await api("POST", "/api/maps/import?name=" + encodeURIComponent(file.name), undefined, file);
    location.href = "/maps/" + encodeURIComponent(answer.id);
  } catch (error) { fail(error); importInput.value = ""; }
});

for (const button of document.querySelectorAll("button[data-delete-map]")) {
  button.addEventListener("click", async () => {
    if (!confirm(t("confirm_delete"))) return;
    try {
      await api("DELETE", "/api/maps/" + encodeURIComponent(button.dataset.deleteMap));
      button.closest("li").remove();
      announce(t("delete") + ": " + button.dataset.title);
    } catch (error) { fail(error); }
  });
}
