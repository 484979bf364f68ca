// The open visit: the scans as the scan engine reads them (pushed by the
// agent's events) with what was parsed from each and the local catalogue's
// warnings, a code typed by hand, counts and the visit's reports as short
// forms, and 签退 with the visit's duration. A form is emptied only once
// the agent answered that it saved it.
"use strict";

// `correcting`: the record 结果 asked to correct ({seq, kind, form, terminal,
// terminal_name}), until its correction is saved or the rep lets it be.
// With no visit open, its form is shown alone: the agent saves the
// correction for the original record's store, and the gateway judges it by
// that record's visit, so the rep need not go back to check in.
const visit = { answer: null, scans: new Map(), saved: [], confirming: false, closed: null, correcting: null };

function scanItem(scan) {
  const item = el("li", null, "scan");
  item.dataset.seq = scan.seq;
  const warnings = scan.warnings || [];
  if (warnings.length) item.classList.add("warned");
  item.append(el("span", scan.product_name || (scan.product ? scan.product : t("visit.product.unknown")), "product"));
  const facts = el("dl");
  for (const [key, value] of [["visit.gtin", scan.gtin], ["visit.lot", scan.lot], ["visit.expiry", scan.expiry], ["visit.serial", scan.serial]]) {
    if (!value) continue;
    facts.append(el("dt", t(key)), el("dd", value));
  }
  if (!facts.childElementCount) facts.append(el("dt", "#"), el("dd", scan.code));
  item.append(facts);
  if (warnings.length) {
    const list = el("ul", null, "warnings");
    for (const w of warnings) list.append(el("li", t("warning." + w)));
    item.append(list);
  }
  return item;
}

function savedItem(entry) {
  const what = entry.corrects ? t("visit.saved.correction", { seq: entry.corrects, what: entry.what }) : entry.what;
  return el("li", t("visit.saved.item", { what, seq: entry.seq }));
}

// A correction made with no visit open, for the original record's store.
function correctingAlone() {
  return !!visit.correcting && !visit.answer && !!visit.correcting.terminal;
}

function drawCorrecting() {
  const c = visit.correcting;
  const alone = correctingAlone();
  $("correcting").hidden = !c;
  for (const form of document.querySelectorAll("form[data-report]")) {
    const target = !!c && (!!visit.answer || alone) && form.dataset.report === c.form;
    form.classList.toggle("correcting-form", target);
    form.closest("details").classList.toggle("correction-target", target);
  }
  if (!c) return;
  // Beside the form it goes in, so that the rep reads it where the values
  // are typed; at the top of the screen when there is no form to fill.
  const banner = $("correcting");
  const target = (visit.answer || alone) && document.querySelector(`form[data-report="${c.form}"]`);
  if (target) target.closest("details").before(banner);
  else $("visit-view").prepend(banner);
  const what = kindName(c.kind);
  $("correcting-text").textContent = visit.answer
    ? t("visit.correcting", { seq: c.seq, what, form: t("report." + c.form) })
    : alone ? t("visit.correcting.alone", { seq: c.seq, what, store: c.terminal_name || c.terminal })
    : t("visit.correcting.no_visit", { seq: c.seq, what });
}

// The form the correction goes in, opened and in view under its banner.
function showCorrectionForm() {
  if (!visit.correcting || (!visit.answer && !correctingAlone())) return;
  const form = document.querySelector(`form[data-report="${visit.correcting.form}"]`);
  form.closest("details").open = true;
  $("correcting").scrollIntoView({ block: "start" });
}

function drawVisit() {
  drawCorrecting();
  const open = visit.answer;
  const alone = correctingAlone();
  $("visit-none").hidden = !!open || !!visit.closed || alone;
  $("visit-open").hidden = !open && !alone;
  $("visit-open").classList.toggle("correction-only", alone);
  $("checked-out").hidden = !visit.closed || alone;
  if (visit.closed) $("checked-out").textContent = t("visit.checked_out", { duration: duration(visit.closed.duration_s) });
  if (!open) return;
  $("visit-name").textContent = open.terminal_name || open.terminal;
  drawVisitClock();
  const scans = [...visit.scans.values()].sort((a, b) => b.seq - a.seq);
  $("scans").replaceChildren(...scans.map(scanItem));
  $("scans-none").hidden = scans.length > 0;
  $("saved").replaceChildren(...visit.saved.map(savedItem));
  $("saved-none").hidden = visit.saved.length > 0;
  $("checkout").textContent = t(visit.confirming ? "visit.checkout.confirm" : "visit.checkout");
}

function drawVisitClock() {
  if (!visit.answer) return;
  const started = visit.answer.started_ms;
  $("visit-started").textContent = t("visit.started", { time: clock(started), duration: duration((Date.now() - started) / 1000) });
}

// What the agent already holds for the open visit, so a reload or a
// restarted agent shows what was saved before: the agent keeps the visit's
// lists in its outbox, sealed under the rep's PIN, and the page keeps no
// copy of its own in the browser's storage, which is not sealed.
async function loadVisit() {
  visit.answer = null;
  // Asked only when the agent says a visit is open: a 404 would be logged.
  if (app.state && app.state.visit) {
    try {
      visit.answer = await api("/api/visit");
    } catch (e) {
      if (e.status !== 404) $("scan-error").textContent = problem(e);
    }
  }
  visit.scans.clear();
  visit.saved = [];
  if (visit.answer) {
    visit.closed = null;
    for (const scan of visit.answer.scans || []) visit.scans.set(scan.seq, scan);
    for (const count of visit.answer.counts || []) visit.saved.push({ what: t("report.count") + " · " + describe(count), seq: count.seq, corrects: count.corrects });
    for (const report of visit.answer.reports || [])
      visit.saved.push({ what: kindName(report.kind) + (report.product ? " · " + report.product : ""), seq: report.seq, corrects: report.corrects });
  }
  drawVisit();
  showCorrectionForm();
}

// An older page kept a copy of the open visit here, in the clear.
localStorage.removeItem("fieldflow.handheld.visit");

function describe(count) {
  const what = count.product_name || count.product || count.gtin || "";
  return count.quantity !== undefined ? what + " × " + count.quantity : what;
}

function scanArrived(scan) {
  if (!visit.answer) return loadVisit();
  visit.scans.set(scan.seq, scan);
  $("scan-error").textContent = "";
  $("notice").hidden = true;
  drawVisit();
}

// A code the engine read that the agent could not save (no visit open):
// said on whichever screen the rep is on, until the next scan is saved or
// the rep taps it away.
function scanFailed(answer) {
  const notice = $("notice");
  notice.textContent = t("visit.scan_error", { message: agentSaid(answer) || answer.error || "" }) + (answer.code ? "（" + answer.code + "）" : "");
  notice.hidden = false;
}

$("notice").addEventListener("click", () => { $("notice").hidden = true; });

$("code-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const code = form.elements.code.value.trim();
  if (!code) return;
  $("scan-error").textContent = "";
  try {
    const scan = await api("/api/scan", { body: { code } });
    form.reset();
    if (scan && scan.seq !== undefined) scanArrived(scan);
  } catch (e) {
    $("scan-error").textContent = problem(e);
  }
});

// A form's fields as the agent's API takes them: numbers as numbers, an
// empty optional field left out.
function reportBody(form) {
  const body = {};
  for (const input of form.querySelectorAll("input, select")) {
    if (input.type === "file") continue;
    if (input.type === "checkbox") { body[input.name] = input.checked; continue; }
    const value = input.value.trim();
    if (value === "") continue;
    body[input.name] = input.type === "number" ? Number(value) : value;
  }
  return body;
}

for (const form of document.querySelectorAll("form[data-report]")) {
  const kind = form.dataset.report;
  const photoInput = form.querySelector("input[type=file]");
  // A photo saved once is not sent again when the report is retried.
  if (photoInput) photoInput.addEventListener("change", () => { delete form.dataset.photo; form.querySelector(".photo-state").textContent = ""; });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = form.querySelector(".error");
    error.textContent = "";
    const submit = form.querySelector("button[type=submit]");
    submit.disabled = true;
    try {
      const body = reportBody(form);
      let path = "/api/report/" + kind;
      if (kind === "count") {
        path = "/api/count";
        // Fourteen digits are a GTIN read off the pack; anything else the product's code.
        if (/^\d{14}$/.test(body.product)) { body.gtin = body.product; delete body.product; }
      }
      const file = photoInput && photoInput.files[0];
      if (file && !form.dataset.photo) {
        form.dataset.photo = await savePhoto(file);
        form.querySelector(".photo-state").textContent = t("checkin.photo.saved", { size: kilobytes(file.size) });
      }
      if (form.dataset.photo) body.photo = form.dataset.photo;
      const correcting = visit.correcting && visit.correcting.form === kind ? visit.correcting : null;
      if (correcting) body.corrects = correcting.seq;
      const answer = await api(path, { body });
      const what = t("report." + kind) + (body.product || body.gtin ? " · " + (body.product || body.gtin) : "") +
        (kind === "count" ? " × " + body.quantity : "");
      if (visit.answer) visit.saved.push({ what, seq: answer.seq, corrects: body.corrects });
      if (correcting) {
        rememberCorrection(correcting.seq, answer.seq);
        visit.correcting = null;
        // Made from 结果 with no visit open: back to the list it came from.
        if (!visit.answer) location.hash = "#results";
      }
      form.reset();
      delete form.dataset.photo;
      const state = form.querySelector(".photo-state");
      if (state) state.textContent = "";
      drawVisit();
    } catch (e) {
      error.textContent = problem(e);
    } finally {
      submit.disabled = false;
    }
  });
}

$("correcting-cancel").addEventListener("click", () => {
  visit.correcting = null;
  drawVisit();
});

$("checkout").addEventListener("click", async () => {
  if (!visit.confirming) {
    visit.confirming = true;
    drawVisit();
    return;
  }
  $("checkout-error").textContent = "";
  try {
    const answer = await api("/api/checkout", { body: {} });
    visit.closed = { duration_s: answer.duration_s };
    visit.answer = null;
    visit.confirming = false;
    await refreshState();
  } catch (e) {
    $("checkout-error").textContent = problem(e);
  }
  drawVisit();
});

setInterval(() => { if (!$("visit-view").hidden) drawVisitClock(); }, 1000);
app.redraws.push(drawVisit);
