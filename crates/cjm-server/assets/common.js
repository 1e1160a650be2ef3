// Shared helpers of the cjm web UI: API calls with the CSRF token, UI strings, DOM building.

const page = JSON.parse(document.getElementById("cjm-page").textContent);
const strings = page.strings;

/** The UI string for `key` in the page language. */
export function t(key) {
  return strings[key] || key;
}

/** Facts the server put in the page: csrf token, role, ids. */
export const ctx = page;

/** Whether the caller may change things. */
export function canWrite() {
  return page.role === "owner" || page.role === "editor";
}

/** An error answered by the API, with its code, message and status. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body.message || ("HTTP " + status));
    this.status = status;
    this.code = body.code;
    this.body = body;
  }
}

/** Calls the JSON API; rejects with ApiError on a non-2xx answer. */
export async function api(method, path, body, raw) {
  const headers = {};
  if (page.csrf) headers["X-CSRF-Token"] = page.csrf;
  let payload;
  if (raw !== undefined) {
    payload = raw;
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const response = await fetch(path, { method, headers, body: payload, credentials: "same-origin" });
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (_) { data = { message: text }; }
  if (!response.ok) throw new ApiError(response.status, data || {});
  return data;
}

/** Uploads a file with XHR so that progress can be shown; resolves with the parsed answer. */
export function upload(path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    if (page.csrf) xhr.setRequestHeader("X-CSRF-Token", page.csrf);
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      let data = {};
      try { data = JSON.parse(xhr.responseText); } catch (_) { data = { message: xhr.responseText }; }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data); else reject(new ApiError(xhr.status, data));
    };
    xhr.onerror = () => reject(new ApiError(0, { message: "network error" }));
    xhr.send(file);
  });
}

/** Builds an element: h("button", {class: "x", onclick: f}, "text", child). Text is never parsed as HTML. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "value") el.value = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Builds an SVG element with attributes. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Shows a message in the page's live region (read by screen readers). */
export function announce(message, isError) {
  const region = document.getElementById("announce");
  if (!region) return;
  region.textContent = message;
  region.className = isError ? "announce error" : "announce";
}

/** Reports a failed call to the user. */
export function fail(error) {
  announce((error && error.message) || String(error), true);
}

// The language switcher: remember the choice in a cookie and reload.
for (const select of document.querySelectorAll("select[data-lang-switch]")) {
  select.addEventListener("change", () => {
    document.cookie = "cjm_lang=" + encodeURIComponent(select.value) + "; path=/; SameSite=Strict; max-age=31536000";
    location.reload();
  });
}

const signOut = document.getElementById("sign-out");
if (signOut) signOut.addEventListener("click", async () => {
  try { await api("POST", "/api/logout"); location.href = "/login"; } catch (e) { fail(e); }
});
