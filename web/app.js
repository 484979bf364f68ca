// The operators' dashboard: live ingest over server-sent events, and the
// review queue. Data is put on the page with textContent only, never as
// HTML, so nothing a device sent can run here.
"use strict";

const state = { csrf: null, role: null, live: null, charts: {}, before: null };
const $ = (id) => document.getElementById(id);
const colours = { accepted: "#2e7d32", flagged: "#ef8f00", rejected: "#c62828" };

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}

async function api(path, options = {}) {
  const init = { credentials: "same-origin", headers: {} };
  if (options.body !== undefined) {
    init.method = "POST";
    init.headers["Content-Type"] = "application/json";
    if (state.csrf) init.headers["X-CSRF-Token"] = state.csrf;
    init.body = JSON.stringify(options.body);
  }
  const response = await fetch(path, init);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(body.error || response.statusText), { status: response.status });
  return body;
}

function ago(ms) {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 60) return s + " s ago";
  if (s < 3600) return Math.round(s / 60) + " min ago";
  if (s < 86400) return Math.round(s / 3600) + " h ago";
  return Math.round(s / 86400) + " days ago";
}

// A table row that says there is nothing to list.
function note(text, columns) {
  const row = el("tr");
  const cell = el("td", text, "hint");
  cell.colSpan = columns;
  row.append(cell);
  return row;
}

function number(n) {
  return Math.round(n).toLocaleString("en");
}

// --- login -----------------------------------------------------------------

function show(view) {
  for (const id of ["login-view", "ingest-view", "review-view", "books-view"]) $(id).hidden = id !== view;
  for (const button of document.querySelectorAll("#tabs button"))
    button.classList.toggle("active", button.dataset.tab + "-view" === view);
}

function enter(me) {
  state.csrf = me.csrf;
  state.role = me.role;
  $("who-name").textContent = me.operator + " (" + me.role + ")";
  $("who").hidden = false;
  $("tabs").hidden = false;
  show("ingest-view");
  startLive();
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  $("login-error").textContent = "";
  try {
    enter(await api("/api/login", { body: { name: form.get("name"), password: form.get("password") } }));
  } catch (e) {
    $("login-error").textContent = e.message;
  }
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
  });

// --- live ingest -------------------------------------------------------------

function startLive() {
  const source = new EventSource("/api/live");
  state.live = source;
  source.onopen = () => { $("live-state").textContent = "live"; $("live-state").className = "live on"; };
  source.onerror = () => { $("live-state").textContent = "reconnecting"; $("live-state").className = "live off"; };
  source.onmessage = (event) => render(JSON.parse(event.data));
}

function chart(id, series, data) {
  const box = $(id);
  const width = Math.max(300, box.clientWidth);
  if (!state.charts[id]) {
    state.charts[id] = new uPlot({
      width, height: 220,
      series: [{}, ...series],
      axes: [{}, { size: 60 }],
      scales: { x: { time: true } },
      legend: { live: false },
    }, data, box);
  } else {
    state.charts[id].setData(data);
    if (Math.abs(state.charts[id].width - width) > 4) state.charts[id].setSize({ width, height: 220 });
  }
}

function render(o) {
  const c = o.chart;
  const last = c.t.length - 1;
  const rateNow = last >= 0 ? c.accepted[last] + c.flagged[last] + c.rejected[last] : 0;
  $("rate-now").textContent = rateNow.toFixed(1);
  const t = o.totals;
  $("total").textContent = number(t.accepted + t.flagged + t.rejected);
  $("total-split").textContent = number(t.accepted) + " accepted · " + number(t.flagged) + " flagged · " + number(t.rejected) + " rejected · " + number(t.duplicate) + " resent";
  const ack = last >= 0 ? c.ack_p99_ms[last] : null;
  $("ack-now").textContent = ack === null || ack === undefined ? "–" : ack + " ms";
  const commit = last >= 0 ? c.commit_p99_ms[last] : null;
  $("commit-now").textContent = commit === null || commit === undefined ? "no commits in the last 5 s" : "commit p99 " + commit + " ms";
  $("devices-online").textContent = o.device_states.online + " online";
  $("devices-split").textContent = o.device_states.idle + " idle · " + o.device_states.silent + " silent";
  $("connections").textContent = number(o.connections_open);
  $("open-reviews").textContent = number(o.open_reviews);
  $("review-count").textContent = o.open_reviews ? String(o.open_reviews) : "";

  chart("rate-chart", [
    { label: "accepted", stroke: colours.accepted, width: 2 },
    { label: "flagged", stroke: colours.flagged, width: 2 },
    { label: "rejected", stroke: colours.rejected, width: 2 },
  ], [c.t, c.accepted, c.flagged, c.rejected]);
  chart("latency-chart", [
    { label: "ack p50", stroke: "#1565c0", width: 2 },
    { label: "ack p99", stroke: "#6a1b9a", width: 2 },
    { label: "commit p99", stroke: "#00838f", width: 1, dash: [4, 4] },
  ], [c.t, c.ack_p50_ms, c.ack_p99_ms, c.commit_p99_ms]);

  const total = t.accepted + t.flagged + t.rejected;
  const mix = $("mix");
  const legend = $("mix-legend");
  mix.replaceChildren();
  legend.replaceChildren();
  for (const verdict of ["accepted", "flagged", "rejected"]) {
    const share = total ? t[verdict] / total : 0;
    const part = el("span", null, "part " + verdict);
    part.style.width = (share * 100).toFixed(2) + "%";
    part.title = verdict + ": " + number(t[verdict]);
    mix.append(part);
    const item = el("li", verdict + " " + (share * 100).toFixed(1) + "% (" + number(t[verdict]) + ")", verdict);
    legend.append(item);
  }

  const reasons = $("reasons");
  reasons.replaceChildren();
  const top = o.top_reasons.length ? o.top_reasons[0].count : 1;
  for (const r of o.top_reasons) {
    const item = el("li");
    const bar = el("span", null, "bar");
    bar.style.width = ((r.count / top) * 100).toFixed(1) + "%";
    item.append(el("span", r.code, "name"), bar, el("span", number(r.count), "num"));
    reasons.append(item);
  }
  if (!o.top_reasons.length) reasons.append(el("li", "no reasons given yet", "hint"));

  const devices = o.devices.slice().sort((a, b) => b.outbox - a.outbox || a.last_seen_ms - b.last_seen_ms);
  const rows = $("devices").tBodies[0];
  rows.replaceChildren();
  for (const d of devices) {
    const row = el("tr");
    row.append(el("td", d.device), el("td", d.rep), el("td", d.state, "state " + d.state),
               el("td", ago(d.last_seen_ms)), el("td", number(d.outbox), "num"), el("td", d.agent_version));
    rows.append(row);
  }
  if (!devices.length) rows.append(note("no device has connected yet", 6));

  $("late-days").textContent = "for " + o.flow_late_days + " days or more";
  const late = $("late").tBodies[0];
  late.replaceChildren();
  for (const d of o.late_distributors) {
    const row = el("tr");
    row.append(el("td", d.distributor), el("td", d.name),
               el("td", d.last_arrival_ms === null ? "never" : ago(d.last_arrival_ms)));
    late.append(row);
  }
  if (!o.late_distributors.length) late.append(note("every distributor reported in time", 3));
}

// --- review queue ------------------------------------------------------------

function reviewQuery(older) {
  const form = new FormData($("review-filter"));
  const params = new URLSearchParams();
  for (const [key, value] of form) if (value) params.set(key, value);
  if (older && state.before) params.set("before", state.before);
  return "/api/review?" + params.toString();
}

async function loadReview(older) {
  $("review-error").textContent = "";
  let page;
  try {
    page = await api(reviewQuery(older));
  } catch (e) {
    $("review-error").textContent = e.message;
    return;
  }
  const list = $("review-list");
  if (!older) list.replaceChildren();
  for (const record of page.records) list.append(reviewCard(record));
  if (!older && !page.records.length) list.append(el("p", "nothing here: no flagged record matches", "hint"));
  state.before = page.next_before;
  $("review-more").hidden = !page.next_before;
}

function reviewCard(r) {
  const card = el("article", null, "card review");
  card.dataset.id = r.id;
  const head = el("header");
  head.append(el("strong", r.kind.replace(/_/g, " ")),
              el("span", (r.payload && r.payload.terminal ? "at " + r.payload.terminal + " · " : "") + r.rep + " · " + r.device + " #" + r.seq),
              el("span", new Date(r.captured_at_ms).toLocaleString(), "hint"));
  card.append(head);
  const reasons = el("ul", null, "reasons");
  for (const reason of r.reasons) {
    const item = el("li");
    item.append(el("code", reason.code), el("span", " " + reason.detail));
    reasons.append(item);
  }
  card.append(reasons);
  if (r.payload) {
    const fields = el("dl", null, "payload");
    for (const [key, value] of Object.entries(r.payload)) {
      if (value === "" || value === null || typeof value === "object") continue;
      fields.append(el("dt", key), el("dd", value));
    }
    card.append(fields);
  }
  card.append(decision(r));
  return card;
}

function decision(r) {
  const box = el("div", null, "decision");
  if (r.review) {
    box.append(el("span", r.review.decision === "approve" ? "approved" : "rejected", "verdict " + r.review.decision),
               el("span", " by " + r.review.by + ", " + ago(r.review.at_ms) + ": "),
               el("q", r.review.comment));
    return box;
  }
  if (state.role === "viewer") {
    box.append(el("span", "waiting for a reviewer", "hint"));
    return box;
  }
  const comment = el("input");
  comment.placeholder = "why (required)";
  comment.name = "comment";
  const approve = el("button", "Approve", "approve");
  const reject = el("button", "Reject", "reject");
  const error = el("span", "", "error");
  const settle = async (verdict) => {
    if (!comment.value.trim()) { error.textContent = "say why first"; comment.focus(); return; }
    try {
      const settled = await api("/api/review/" + r.id, { body: { decision: verdict, comment: comment.value.trim() } });
      box.replaceWith(decision(settled));
    } catch (e) {
      error.textContent = e.message;
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

$("books-filter").elements.period.value = new Date().toISOString().slice(0, 7);

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
  let ledger, report;
  try {
    [ledger, report] = await Promise.all([api("/api/ledger?period=" + period),
                                          api("/api/effectiveness?period=" + period)]);
  } catch (e) {
    $("books-error").textContent = e.message;
    return;
  }
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
    if (r.off_books) row.title = "the stock report is off the ledger beyond tolerance";
    body.append(row);
  }
  if (!rows.length) body.append(note("no ledger lines for " + ledger.period, 9));
  else if (rows.length > 500) body.append(note((rows.length - 500) + " more lines: filter by distributor", 9));

  const coverage = $("coverage");
  coverage.replaceChildren();
  for (const g of report.grades) {
    const share = g.terminals ? g.on_target / g.terminals : 0;
    coverage.append(bar("grade " + g.grade + " (target " + g.target + ")", share, 1,
                        Math.round(share * 100) + "% of " + g.terminals, "grade"));
  }
  const channel = $("channel");
  channel.replaceChildren();
  const most = Math.max(1, ...ledger.channel.map((c) => c.channel_stock));
  for (const c of ledger.channel) channel.append(bar(c.product, c.channel_stock, most, number(c.channel_stock), "stock"));
  if (!ledger.channel.length) channel.append(el("li", "no stock in the channel this month", "hint"));

  const days = $("rep-days").tBodies[0];
  days.replaceChildren();
  for (const d of report.reps) {
    const row = el("tr");
    row.append(el("td", d.rep), el("td", d.day), el("td", d.visits, "num"),
               el("td", d.closed_visits, "num"), el("td", Math.round(d.minutes_in_store), "num"));
    days.append(row);
  }
  if (!report.reps.length) days.append(note("no visits in " + report.period, 5));
}

$("books-filter").addEventListener("submit", (event) => {
  event.preventDefault();
  loadBooks();
});

// --- start -------------------------------------------------------------------

api("/api/me").then((me) => (me.operator ? enter(me) : show("login-view")), () => show("login-view"));
