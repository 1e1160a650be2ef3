// The sign-in form: posts the credentials and goes to the workspace.

import { api, fail } from "./common.js";

const form = document.getElementById("login-form");
form.addEventListener("submit", async (e) => {
  e.preventDefault();
  const data = new FormData(form);
  try {
    await api("POST", "/api/login", { email: data.get("email"), password: data.get("password") });
    location.href = "/";
  } catch (error) { fail(error); }
});
