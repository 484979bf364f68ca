// What every screen of the rep's app shares: the language, the few helpers
// that build the page, and the one way to call the agent's local API. Text
// is put on the page with textContent only, never as HTML, so nothing a
// scanned code or the gateway carries can run here.
"use strict";

const app = {
  token: null,
  state: null,
  language: localStorage.getItem("fieldflow.handheld.language") === "en" ? "en" : "zh-CN",
  // Each screen re-draws what it built with t() when the language changes.
  redraws: [],
  // While the handheld is locked (pin.js), calls wait here for the PIN.
  locked: false,
  unlockWaiters: [],
};
const $ = (id) => document.getElementById(id);

function t(key, vars = {}) {
  let text = TEXT[app.language][key];
  if (text === undefined) {
    console.info("no " + app.language + " text for " + key);
    text = TEXT["zh-CN"][key] ?? TEXT.en[key] ?? key;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}

function applyLanguage() {
  document.documentElement.lang = app.language;
  for (const node of document.querySelectorAll("[data-text]")) node.textContent = t(node.dataset.text);
  for (const node of document.querySelectorAll("[data-text-placeholder]")) node.placeholder = t(node.dataset.textPlaceholder);
  for (const node of document.querySelectorAll("[data-text-aria]")) node.setAttribute("aria-label", t(node.dataset.textAria));
  for (const button of document.querySelectorAll("button.language")) button.lang = app.language === "en" ? "zh-CN" : "en";
  for (const redraw of app.redraws) redraw();
}

// A record's kind by its name where the app has one, else as the agent gave it.
function kindName(kind) {
  return "report." + kind in TEXT[app.language] ? t("report." + kind) : kind;
}

function distance(m) {
  if (m === null || m === undefined) return t("today.distance.unknown");
  if (m < 1000) return t("distance.m", { n: Math.round(m) });
  return t("distance.km", { n: (m / 1000).toLocaleString(app.language, { maximumFractionDigits: 1 }) });
}

function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t("duration.s", { n: s });
  if (s < 3600) return t("duration.min", { n: Math.floor(s / 60) });
  return t("duration.h", { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
}

function age(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t("ago.s", { n: s });
  if (s < 3600) return t("ago.min", { n: Math.floor(s / 60) });
  return t("ago.h", { n: Math.floor(s / 3600) });
}

function clock(ms) {
  return new Intl.DateTimeFormat(app.language, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(ms));
}

// What the agent answers while it is locked; every other call waits for
// the PIN.
const answeredLocked = new Set(["/api/session", "/api/state", "/api/unlock", "/api/lock", "/api/pin"]);

// Resolves once the rep's PIN has unlocked the handheld.
function untilUnlocked() {
  return new Promise((resolve) => app.unlockWaiters.push(resolve));
}

// A call to the agent. A refusal is thrown as an Error carrying the HTTP
// status and the agent's answer (its code and its message in both
// languages); an agent out of reach as status 0. A call the locked handheld
// refuses (423) shows the lock screen and is made again once the PIN has
// unlocked it: nothing was saved, and the rep carries on where it stopped.
async function api(path, options = {}) {
  if (app.locked && !answeredLocked.has(path)) await untilUnlocked();
  try {
    return await call(path, options);
  } catch (e) {
    if (e.status === 423) {
      showLock();
      await untilUnlocked();
      return api(path, options);
    }
    // A restarted agent has a new token: take it and ask once more. Only
    // then: a wrong PIN is a 403 too, and must never be tried twice.
    if (e.status !== 403 || e.answer.error !== "token" || options.body === undefined && options.raw === undefined) throw e;
    app.token = (await call("/api/session", {})).token;
    return call(path, options);
  }
}

async function call(path, options) {
  const init = { headers: {} };
  if (options.body !== undefined || options.raw !== undefined) {
    init.method = "POST";
    init.headers["X-Fieldflow-Token"] = app.token;
    if (options.raw !== undefined) {
      init.headers["Content-Type"] = options.raw.type || "application/octet-stream";
      init.body = options.raw;
    } else {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.body);
    }
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw Object.assign(new Error(e.message), { status: 0, answer: {} });
  }
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(answer.error || response.statusText), { status: response.status, answer });
  return answer;
}

// What went wrong, in the rep's language: the agent's own message when it
// gave one (it names the field), else what the status means. What the rep
// typed stays in the form either way.
function problem(e) {
  if (e.status === 0) return t("error.network");
  if (e.status === undefined || e.status >= 500) return t("error.server");
  return t("error.bad_request", { message: agentSaid(e.answer || {}) || e.message });
}

// The agent's message in the rep's language, else in the other one.
function agentSaid(answer) {
  return app.language === "en" ? answer.message_en || answer.message : answer.message || answer.message_en;
}

// A photo chosen from the camera, kept by the agent until the gateway has
// it; resolves to the agent's id for it.
async function savePhoto(file) {
  const answer = await api("/api/photos", { raw: file });
  return answer.photo;
}

function kilobytes(bytes) {
  return (bytes / 1024).toLocaleString(app.language, { maximumFractionDigits: 0 }) + " KB";
}
