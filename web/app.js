// The operators' dashboard: live ingest over server-sent events, the review
// queue and the distribution books, in Chinese by default and in English
// one click away (text.js holds every string). Data is put on the page with
// textContent only, never as HTML, so nothing a device sent can run here.
"use strict";

const state = {
  csrf: null, role: null, opens: {}, territories: [], live: null, charts: {}, span: {}, before: null, overview: null,
  reasons: new Map(), view: null,
  language: localStorage.getItem("fieldflow.language") === "en" ? "en" : "zh-CN",
};
const $ = (id) => document.getElementById(id);
const colours = { accepted: "#2e7d32", flagged: "#ef8f00", rejected: "#c62828" };

// --- language ----------------------------------------------------------------

function t(key, vars = {}) {
  let text = TEXT[state.language][key];
  if (text === undefined) {
    console.warn("no " + state.language + " text for " + key);
    text = TEXT["zh-CN"][key] ?? TEXT.en[key] ?? key;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

function number(n) {
  return Math.round(n).toLocaleString(state.language);
}

function decimal(n, digits) {
  return n.toLocaleString(state.language, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function dateTime(ms) {
  return new Intl.DateTimeFormat(state.language, {
    year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  }).format(new Date(ms));
}

// Ticks less than a minute apart need their seconds, or they repeat.
function clockTime(seconds, withSeconds) {
  return new Intl.DateTimeFormat(state.language, {
    hour: "2-digit", minute: "2-digit", second: withSeconds ? "2-digit" : undefined, hourCycle: "h23",
  }).format(new Date(seconds * 1000));
}

function applyLanguage() {
  document.documentElement.lang = state.language;
  for (const node of document.querySelectorAll("[data-text]")) node.textContent = t(node.dataset.text);
  for (const node of document.querySelectorAll("[data-text-placeholder]")) node.placeholder = t(node.dataset.textPlaceholder);
  for (const node of document.querySelectorAll("[data-text-title]")) node.title = t(node.dataset.textTitle);
  $("language").lang = state.language === "en" ? "zh-CN" : "en";
  if (state.role) $("who-name").textContent = whoText();
  if (state.live) setLive(state.live.readyState === EventSource.OPEN);
  // Series names and axis labels are fixed when a chart is made.
  for (const id of Object.keys(state.charts)) { state.charts[id].destroy(); delete state.charts[id]; }
  if (state.overview) render(state.overview);
  if (state.view === "review-view") loadReview(false);
  if (state.view === "books-view") loadBooks();
  if (state.view === "devices-view") loadDevices();  // web/devices.js
  if (state.view === "audit-view") loadAudit(false);  // web/audit_log.js
  if (state.reasons.size) reasonFilter();  // web/review_text.js
}

$("language").addEventListener("click", () => {
  state.language = state.language === "en" ? "zh-CN" : "en";
  localStorage.setItem("fieldflow.language", state.language);
  applyLanguage();
});

// A reason as the operator reads it: its Chinese name with the stable code
// beside it, or the code alone in English (the codes are English words).
function reasonNode(code) {
  const node = el("span", null, "reason-name");
  const chinese = state.reasons.get(code);
  if (state.language !== "en" && chinese) node.append(el("span", chinese), " ");
  node.append(el("code", code));
  return node;
}

// --- helpers -------------------------------------------------------------------

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}

// A list's loads can overlap: the review tab's click loads the queue and its
// filter's submit loads it again before the first answer is in. Only the
// newest load may fill the list, or a slower, older answer replaces cards the
// operator is already acting on. A further page (`more`) leaves a reload
// under way standing and is dropped by one begun after it.
const loads = {};
function newestLoad(list, more = false) {
  if (!more) loads[list] = (loads[list] || 0) + 1;
  const mine = loads[list] || 0;
  return () => loads[list] === mine;
}

async function api(path, options = {}) {
  const init = { credentials: "same-origin", headers: {} };
  if (options.body !== undefined) {
    init.method = "POST";
    init.headers["Content-Type"] = "application/json";
    if (state.csrf) init.headers["X-CSRF-Token"] = state.csrf;
    init.body = JSON.stringify(options.body);
  }
  return (await fetchOk(path, init)).json().catch(() => ({}));
}

// The gateway's answer when it is a success; otherwise an Error with the
// HTTP status (0 when the gateway could not be reached) for problem().
async function fetchOk(path, init) {
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw Object.assign(new Error(e.message), { status: 0 });
  }
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw Object.assign(new Error(body.error || response.statusText), { status: response.status });
  }
  return response;
}

// The API answers in English; the operator reads what its status means in
// the chosen language (in English with the gateway's own words after it).
function problem(e, login = false) {
  if (e.status === 0) return t("error.network");
  if (login && e.status === 401) return t("error.login");
  if (login && e.status === 429) return t("error.login_limited");
  const known = { 401: "error.unauthorized", 403: "error.forbidden", 404: "error.not_found",
                  409: "error.conflict", 429: "error.busy", 503: "error.busy" };
  const key = known[e.status] || (e.status >= 500 ? "error.server" : "error.bad_request");
  return state.language === "en" && e.message ? t(key) + ": " + e.message : t(key);
}

function ago(ms) {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 60) return t("ago.s", { n: s });
  if (s < 3600) return t("ago.min", { n: Math.round(s / 60) });
  if (s < 86400) return t("ago.h", { n: Math.round(s / 3600) });
  return t("ago.d", { n: Math.round(s / 86400) });
}

// A table row that says there is nothing to list.
function note(text, columns) {
  const row = el("tr");
  const cell = el("td", text, "hint");
  cell.colSpan = columns;
  row.append(cell);
  return row;
}

// --- login -----------------------------------------------------------------

function show(view) {
  state.view = view;
  for (const id of ["login-view", "ingest-view", "review-view", "books-view", "devices-view", "audit-view"]) $(id).hidden = id !== view;
  for (const button of document.querySelectorAll("#tabs button"))
    button.classList.toggle("active", button.dataset.tab + "-view" === view);
}

// The name, role and, for an operator limited to some, the territories.
function whoText() {
  const where = state.territories.length ? " · " + state.territories.join(", ") : "";
  return state.operator + "（" + t("role." + state.role) + where + "）";
}

async function enter(me) {
  state.csrf = me.csrf;
  state.role = me.role;
  state.opens = me.opens || { location: false, photos: false };
  state.operator = me.operator;
  state.territories = me.territories || [];
  $("who-name").textContent = whoText();
  $("who").hidden = false;
  $("tabs").hidden = false;
  // The audit log is for admins of every territory (gateway/audit_pages.h).
  document.querySelector("#tabs button[data-tab=audit]").hidden = !(me.role === "admin" && !state.territories.length);
  try {
    for (const r of await api("/api/reasons")) state.reasons.set(r.code, r.zh);
  } catch (e) {
    // The codes alone still say what happened.
  }
  applyLanguage();
  show("ingest-view");
  startLive();
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  $("login-error").textContent = "";
  let me;
  try {
    me = await api("/api/login", { body: { name: form.get("name"), password: form.get("password") } });
  } catch (e) {
    $("login-error").textContent = problem(e, true);
    return;
  }
  enter(me);
});

$("logout").addEventListener("click", async () => {
  await api("/api/logout", { body: {} }).catch(() => {});
  if (state.live) state.live.close();
  location.reload();
});

for (const button of document.querySelectorAll("#tabs button"))
  button.addEventListener("click", () => {
    show(button.dataset.tab + "-view");
    if (button.dataset.tab === "review") loadReview(false);
    if (button.dataset.tab === "books") loadBooks();
    if (button.dataset.tab === "devices") loadDevices();
    if (button.dataset.tab === "audit") loadAudit(false);  // web/audit_log.js
  });

// --- live ingest -------------------------------------------------------------

function setLive(on) {
  $("live-state").textContent = t(on ? "live.on" : "live.off");
  $("live-state").className = "live " + (on ? "on" : "off");
}

function startLive() {
  const source = new EventSource("/api/live");
  state.live = source;
  source.onopen = () => setLive(true);
  source.onerror = () => setLive(false);
  source.onmessage = (event) => render(JSON.parse(event.data));
}

// A chart over the data's own time range, or a "no data yet" note in its
// place: with nothing to draw, a time axis has no range of its own and
// uPlot would make one up that spans years.
function chart(id, series, data, hasData) {
  const box = $(id);
  // One point makes no line, and no time range to draw an axis over.
  hasData = hasData && data[0].length >= 2;
  $(id + "-none").hidden = hasData;
  box.hidden = !hasData;
  if (!hasData) return;
  state.span[id] = [data[0][0], data[0][data[0].length - 1]];
  const width = Math.max(280, box.clientWidth);
  if (!state.charts[id]) {
    state.charts[id] = new uPlot({
      width, height: 220,
      series: [{}, ...series],
      axes: [{ space: 80, values: (u, splits, axis, space, step) => splits.map((v) => clockTime(v, step < 60)) },
             { size: 60, values: (u, splits) => splits.map((v) => v.toLocaleString(state.language)) }],
      scales: {
        x: {
          time: true,
          range: () => [state.span[id][0], state.span[id][1]],
        },
      },
      legend: { live: false },
    }, data, box);
  } else {
    state.charts[id].setData(data);
    if (Math.abs(state.charts[id].width - width) > 4) state.charts[id].setSize({ width, height: 220 });
  }
}

function render(o) {
  state.overview = o;
  const c = o.chart;
  const last = c.t.length - 1;
  const rateNow = last >= 0 ? c.accepted[last] + c.flagged[last] + c.rejected[last] : 0;
  $("rate-now").textContent = decimal(rateNow, 1);
  const tt = o.totals;
  $("total").textContent = number(tt.accepted + tt.flagged + tt.rejected);
  $("total-split").textContent = t("totals.split", {
    accepted: number(tt.accepted), flagged: number(tt.flagged),
    rejected: number(tt.rejected), duplicate: number(tt.duplicate) });
  const ack = last >= 0 ? c.ack_p99_ms[last] : null;
  $("ack-now").textContent = ack === null || ack === undefined ? "–" : t("ms", { n: ack });
  const commit = last >= 0 ? c.commit_p99_ms[last] : null;
  $("commit-now").textContent = commit === null || commit === undefined ? t("commit.none") : t("commit.p99", { ms: commit });
  $("devices-online").textContent = t("devices.online", { n: o.device_states.online });
  $("devices-split").textContent = t("devices.split", { idle: o.device_states.idle, silent: o.device_states.silent });
  $("connections").textContent = number(o.connections_open);
  $("open-reviews").textContent = number(o.open_reviews);
  $("review-count").textContent = o.open_reviews ? number(o.open_reviews) : "";

  const some = (series) => series.some((v) => v !== null && v !== undefined && v > 0);
  chart("rate-chart", [
    { label: t("series.accepted"), stroke: colours.accepted, width: 2 },
    { label: t("series.flagged"), stroke: colours.flagged, width: 2 },
    { label: t("series.rejected"), stroke: colours.rejected, width: 2 },
  ], [c.t, c.accepted, c.flagged, c.rejected], some(c.accepted) || some(c.flagged) || some(c.rejected));
  chart("latency-chart", [
    { label: t("series.ack_p50"), stroke: "#1565c0", width: 2 },
    { label: t("series.ack_p99"), stroke: "#6a1b9a", width: 2 },
    { label: t("series.commit_p99"), stroke: "#00838f", width: 1, dash: [4, 4] },
  ], [c.t, c.ack_p50_ms, c.ack_p99_ms, c.commit_p99_ms],
  some(c.ack_p50_ms) || some(c.ack_p99_ms) || some(c.commit_p99_ms));

  const total = tt.accepted + tt.flagged + tt.rejected;
  const mix = $("mix");
  const legend = $("mix-legend");
  mix.replaceChildren();
  legend.replaceChildren();
  for (const verdict of ["accepted", "flagged", "rejected"]) {
    const share = total ? tt[verdict] / total : 0;
    const part = el("span", null, "part " + verdict);
    part.style.width = (share * 100).toFixed(2) + "%";
    part.title = t("verdict." + verdict) + ": " + number(tt[verdict]);
    mix.append(part);
    legend.append(el("li", t("verdict." + verdict) + " " + decimal(share * 100, 1) + "%（" + number(tt[verdict]) + "）", verdict));
  }

  const reasons = $("reasons");
  reasons.replaceChildren();
  const top = o.top_reasons.length ? o.top_reasons[0].count : 1;
  for (const r of o.top_reasons) {
    const item = el("li");
    const bar = el("span", null, "bar");
    bar.style.width = ((r.count / top) * 100).toFixed(1) + "%";
    const name = reasonNode(r.code);
    name.classList.add("name");
    item.append(name, bar, el("span", number(r.count), "num"));
    reasons.append(item);
  }
  if (!o.top_reasons.length) reasons.append(el("li", t("reasons.none"), "hint"));

  const devices = o.devices.slice().sort((a, b) => b.outbox - a.outbox || a.last_seen_ms - b.last_seen_ms);
  const rows = $("devices").tBodies[0];
  rows.replaceChildren();
  const hours = { hours: o.silent_hours };
  for (const d of devices) {
    const row = el("tr");
    const stateCell = el("td", t("state." + d.state), "state " + d.state);
    stateCell.dataset.state = d.state;
    stateCell.title = t("state." + d.state + ".title", hours);
    row.append(el("td", d.device), el("td", d.rep), stateCell,
               el("td", ago(d.last_seen_ms)), el("td", number(d.outbox), "num"), el("td", d.agent_version));
    rows.append(row);
  }
  if (!devices.length) rows.append(note(t("devices.none"), 6));

  $("late-days").textContent = t("late.days", { n: o.flow_late_days });
  const late = $("late").tBodies[0];
  late.replaceChildren();
  for (const d of o.late_distributors) {
    const row = el("tr");
    row.append(el("td", d.distributor), el("td", d.name),
               el("td", d.last_arrival_ms === null ? t("late.never") : ago(d.last_arrival_ms)));
    late.append(row);
  }
  if (!o.late_distributors.length) late.append(note(t("late.none"), 3));
}

window.addEventListener("resize", () => { if (state.overview) render(state.overview); });

// --- review queue ------------------------------------------------------------

// The review queue's filters that are filled in; export.js downloads the same rows.
function reviewFilters() {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData($("review-filter"))) if (value) params.set(key, value);
  return params;
}

function reviewQuery(older) {
  const params = reviewFilters();
  if (older && state.before) params.set("before", state.before);
  return "/api/review?" + params.toString();
}

async function loadReview(older) {
  $("review-error").textContent = "";
  const newest = newestLoad("review", older);
  let page;
  try {
    page = await api(reviewQuery(older));
  } catch (e) {
    if (newest()) $("review-error").textContent = problem(e);
    return;
  }
  if (!newest()) return;
  const list = $("review-list");
  if (!older) list.replaceChildren();
  for (const record of page.records) list.append(reviewCard(record));
  if (!older && !page.records.length) list.append(el("p", t("review.none"), "hint"));
  state.before = page.next_before;
  $("review-more").hidden = !page.next_before;
}

function kindName(kind) {
  return TEXT[state.language]["kind." + kind] || kind.replace(/_/g, " ");
}

function reviewCard(r) {
  const card = el("article", null, "card review");
  card.dataset.id = r.id;
  const head = el("header");
  head.append(el("strong", kindName(r.kind)),
              el("span", (r.payload && r.payload.terminal ? t("review.at", { terminal: r.payload.terminal }) + " · " : "") +
                         r.rep + " · " + r.device + " #" + r.seq),
              el("span", dateTime(r.captured_at_ms), "hint"));
  card.append(head);
  const reasons = el("ul", null, "reasons");
  for (const reason of r.reasons) {
    const item = el("li");
    item.append(reasonNode(reason.code), reasonDetail(reason));  // web/review_text.js
    reasons.append(item);
  }
  card.append(reasons);
  const photo = photoView(r);  // web/photo_view.js
  if (photo) card.append(photo);
  if (r.payload) {
    const fields = el("dl", null, "payload");
    for (const [key, value] of Object.entries(r.payload)) {
      if (value === "" || value === null || typeof value === "object") continue;
      fields.append(el("dt", fieldName(key)), el("dd", fieldValue(key, value)));
    }
    card.append(fields);
  }
  if (r.kind === "check_in" && state.opens.location) card.append(checkinDrawing(r));
  card.append(decision(r));
  return card;
}

function decision(r) {
  const box = el("div", null, "decision");
  if (r.review) {
    box.append(el("span", t(r.review.decision === "approve" ? "review.approved" : "review.rejected"), "verdict " + r.review.decision),
               el("span", t("review.by", { by: r.review.by, ago: ago(r.review.at_ms) })),
               el("q", r.review.comment));
    return box;
  }
  if (state.role === "viewer") {
    box.append(el("span", t("review.waiting"), "hint"));
    return box;
  }
  const comment = el("input");
  comment.placeholder = t("review.comment");
  comment.name = "comment";
  const approve = el("button", t("review.approve"), "approve");
  const reject = el("button", t("review.reject"), "reject");
  const error = el("span", "", "error");
  const settle = async (verdict) => {
    if (!comment.value.trim()) { error.textContent = t("review.say_why"); comment.focus(); return; }
    try {
      const settled = await api("/api/review/" + r.id, { body: { decision: verdict, comment: comment.value.trim() } });
      box.replaceWith(decision(settled));
    } catch (e) {
      error.textContent = problem(e);
    }
  };
  approve.addEventListener("click", () => settle("approve"));
  reject.addEventListener("click", () => settle("reject"));
  box.append(comment, approve, reject, error);
  return box;
}

$("review-filter").addEventListener("submit", (event) => {
  event.preventDefault();
  loadReview(false);
});
$("review-more").addEventListener("click", () => loadReview(true));

// --- distribution books ------------------------------------------------------

$("books-month").replaceWith(monthPicker("period"));  // web/controls.js

function bar(name, value, max, label, cls) {
  const item = el("li");
  const fill = el("span", null, "bar" + (cls ? " " + cls : ""));
  fill.style.width = (max > 0 ? Math.min(100, (value / max) * 100) : 0).toFixed(1) + "%";
  item.append(el("span", name, "name"), fill, el("span", label, "num"));
  return item;
}

async function loadBooks() {
  const form = $("books-filter").elements;
  const period = encodeURIComponent(form.period.value);
  $("books-error").textContent = "";
  const newest = newestLoad("books");
  let ledger, report;
  try {
    [ledger, report] = await Promise.all([api("/api/ledger?period=" + period),
                                          api("/api/effectiveness?period=" + period)]);
  } catch (e) {
    if (newest()) $("books-error").textContent = problem(e);
    return;
  }
  if (!newest()) return;
  const holder = form.holder.value.trim();
  const rows = ledger.rows.filter((r) => (!holder || r.holder === holder) && (!form.off.checked || r.off_books));
  const body = $("ledger").tBodies[0];
  body.replaceChildren();
  for (const r of rows.slice(0, 500)) {
    const row = el("tr", null, r.off_books ? "off-books" : "");
    row.append(el("td", r.holder), el("td", r.product), el("td", number(r.opening), "num"),
               el("td", number(r.inbound), "num"), el("td", number(r.outbound), "num"),
               el("td", number(r.closing), r.closing < 0 ? "num negative" : "num"),
               el("td", r.last_reported === null ? "" : number(r.last_reported), "num"),
               el("td", r.reported_on || ""),
               el("td", r.variance === null ? "" : (r.variance > 0 ? "+" : "") + number(r.variance), "num"));
    if (r.off_books) row.title = t("ledger.off_books");
    body.append(row);
  }
  if (!rows.length) body.append(note(t("ledger.none", { period: ledger.period }), 9));
  else if (rows.length > 500) body.append(note(t("ledger.more", { n: number(rows.length - 500) }), 9));

  const coverage = $("coverage");
  coverage.replaceChildren();
  for (const g of report.grades) {
    const share = g.terminals ? g.on_target / g.terminals : 0;
    coverage.append(bar(t("coverage.grade", { grade: g.grade, target: g.target }), share, 1,
                        t("coverage.share", { pct: Math.round(share * 100), n: number(g.terminals) }), "grade"));
  }
  const channel = $("channel");
  channel.replaceChildren();
  const most = Math.max(1, ...ledger.channel.map((c) => c.channel_stock));
  for (const c of ledger.channel) channel.append(bar(c.product, c.channel_stock, most, number(c.channel_stock), "stock"));
  if (!ledger.channel.length) channel.append(el("li", t("channel.none"), "hint"));

  const days = $("rep-days").tBodies[0];
  days.replaceChildren();
  for (const d of report.reps) {
    const row = el("tr");
    row.append(el("td", d.rep), el("td", d.day), el("td", number(d.visits), "num"),
               el("td", number(d.closed_visits), "num"), el("td", number(d.minutes_in_store), "num"));
    days.append(row);
  }
  if (!report.reps.length) days.append(note(t("effect.none", { period: report.period }), 5));
  renderPlanActual(report);  // web/plan_actual.js
  loadMasterVersions();  // web/master_versions.js
}

$("books-filter").addEventListener("submit", (event) => {
  event.preventDefault();
  loadBooks();
});

// --- start -------------------------------------------------------------------

applyLanguage();
// Once every deferred script has run: enter() calls into those loaded after
// this one (review_text.js, devices.js), and on a slow connection the
// answer to /api/me can come before they have.
document.addEventListener("DOMContentLoaded", () => {
  api("/api/me").then((me) => (me.operator ? enter(me) : show("login-view")), () => show("login-view"));
});
