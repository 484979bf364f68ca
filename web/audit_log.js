// The audit page, for admins of every territory (gateway/audit_pages.h):
// the hash-chained log newest first, a page at a time, filtered by kind,
// by who acted and by China days, and the chain verified on request, since
// verifying reads every row the log vouches for. loadAudit() when the tab
// is shown and when the language changes.
"use strict";

const audit = { before: null, verified: null };

// A time as China reads it: the log's days are China's (UTC+8), whatever
// the browser's own time zone.
function chinaTime(ms) {
  return new Intl.DateTimeFormat(state.language, {
    year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZone: "Asia/Shanghai",
  }).format(new Date(ms));
}

// The action in Chinese where the console knows it, the log's own
// (English) words in English and for an action it does not know.
function auditAction(action) {
  if (state.language === "en") return action;
  return TEXT["zh-CN"]["audit.action." + action] ?? action;
}

// What the entry is about: its kind, then the row or rows it stands for.
function auditAbout(e) {
  const kind = e.kind ? t("audit.kind." + e.kind) : e.target;
  let rows = "";
  if (e.kind === "fixes_dropped") rows = t("audit.fixes", { n: e.rows });
  else if (e.subject !== null) rows = e.subject;
  else if (e.rows > 1) rows = t("audit.rows.from", { n: e.rows, row: e.row });
  else if (e.row > 0) rows = t("audit.row", { row: e.row });
  return rows ? kind + " · " + rows : kind;
}

// A date typed in a filter: "" or YYYY-MM-DD; anything else is named.
function auditDate(form, name) {
  const value = form.elements[name].value.trim();
  if (value && !/^\d{4}-\d{2}-\d{2}$/.test(value))
    throw Object.assign(new Error(), { shown: t("audit.bad_date", { field: t("audit." + name), value }) });
  return value;
}

async function loadAudit(more) {
  const form = $("audit-filter");
  const body = $("audit-log").tBodies[0];
  $("audit-error").textContent = "";
  showVerified();
  const query = new URLSearchParams();
  try {
    for (const name of ["from", "to"]) {
      const day = auditDate(form, name);
      if (day) query.set(name, day);
    }
  } catch (e) {
    $("audit-error").textContent = e.shown;
    return;
  }
  const kind = form.elements.kind.value;
  const actor = form.elements.actor.value.trim();
  if (kind) query.set("kind", kind);
  if (actor) query.set("actor", actor);
  if (more && audit.before !== null) query.set("before", audit.before);
  const newest = newestLoad("audit", more);  // web/app.js
  let page;
  try {
    page = await api("/api/audit?" + query);
  } catch (e) {
    if (newest()) $("audit-error").textContent = problem(e);
    return;
  }
  if (!newest()) return;
  if (!more) body.replaceChildren();
  for (const e of page.entries) {
    const row = el("tr");
    row.dataset.entry = e.id;
    row.dataset.kind = e.kind;
    const detail = el("td", e.detail, "audit-detail");
    row.append(el("td", e.id, "num"), el("td", chinaTime(e.at_ms)), el("td", e.actor),
               el("td", auditAction(e.action)), el("td", auditAbout(e)), detail);
    body.append(row);
  }
  if (!body.rows.length) body.append(note(t("audit.none"), 6));
  audit.before = page.entries.length ? page.entries[page.entries.length - 1].id : null;
  $("audit-more").hidden = !page.more;
}

$("audit-filter").addEventListener("submit", (event) => {
  event.preventDefault();
  loadAudit(false);
});
$("audit-more").addEventListener("click", () => loadAudit(true));

// The last verification's outcome, in the page's language: kept to be
// said again when the language changes.
function showVerified() {
  const shown = $("audit-verified");
  const r = audit.verified;
  if (!r) return;
  delete shown.dataset.text;
  if (r.pending) {
    shown.className = "hint";
    shown.textContent = t("audit.verifying");
  } else if (r.error) {
    shown.className = "error";
    shown.textContent = problem(r.error);
  } else {
    shown.className = r.intact ? "ok" : "error";
    shown.textContent = r.intact
      ? t("audit.intact", { n: number(r.entries), ms: number(r.took_ms), head: r.head ?? "–" })
      : t("audit.broken", { entry: r.problem.entry, what: r.problem.what });
  }
}

$("audit-verify").addEventListener("click", async () => {
  audit.verified = { pending: true };
  showVerified();
  try {
    audit.verified = await api("/api/audit/verify");
  } catch (e) {
    audit.verified = { error: e };
  }
  showVerified();
});
