// The daily work on the books, on the distribution tab: a distributor's
// file uploaded, previewed (rows to store, already there, bad by line) and
// then confirmed; a flow adjusted with a reason; a month closed or
// reopened with a reason (gateway/book_actions.h). Reviewers and admins
// act; a viewer sees the months' log only. Nothing typed or chosen is
// cleared when a request fails, so the operator can send it again.
"use strict";

const bookActions = { preview: null };

const BOOK_FIELDS = ["qty", "buyer", "lot", "date"];

function bookNode(tag, key, cls) {
  const node = el(tag, t(key), cls);
  node.dataset.text = key;
  return node;
}

function bookLabel(key, control) {
  const label = el("label");
  label.append(bookNode("span", key), " ", control);
  return label;
}

function bookSelect(name, options) {
  const select = el("select");
  select.name = name;
  for (const [value, key] of options) {
    const option = bookNode("option", key);
    option.value = value;
    select.append(option);
  }
  return select;
}

function bookInput(name, type, required) {
  const input = el("input");
  input.name = name;
  input.type = type || "text";
  input.required = !!required;
  return input;
}

function bookCard(titleKey, hintKey) {
  const card = el("div", null, "card book-action");
  const title = el("h2");
  title.append(bookNode("span", titleKey), " ", bookNode("span", hintKey, "hint"));
  card.append(title);
  return card;
}

// A bad row's reason as core wrote it in both languages (its code, stable,
// beside it as reason codes are shown): the operator reads the Chinese, the
// English a hover or a switch away.
function bookReason(bad) {
  const node = el("span", null, "bad-reason");
  const english = state.language === "en" || !bad.zh;
  node.append(el("span", english ? bad.message : bad.zh));
  if (!english) node.title = bad.message;
  if (bad.code) node.append(" ", el("code", bad.code));
  return node;
}

// What went wrong, with the gateway's own words (which name the field or
// the flow) after it in either language: the console's general conflict
// text speaks of review records.
function bookProblem(e) {
  if (e.status === 0 || e.status >= 500 || e.status === 401 || e.status === 403) return problem(e);
  return t("upl.refused.action") + gatewaySaid(e.message);
}

// The gateway's words after a colon of the page's language, or nothing.
function gatewaySaid(message) {
  return message ? (state.language === "en" ? ": " : "：") + message : "";
}

// --- upload ------------------------------------------------------------------

function uploadCard() {
  const card = bookCard("upl.title", "upl.hint");
  const form = el("form", null, "filters");
  form.id = "upload-form";
  const file = filePicker("file", ".csv,text/csv");  // web/controls.js
  form.append(
    bookLabel("upl.kind", bookSelect("kind", [["flows", "upl.kind.flows"], ["shipments", "upl.kind.shipments"],
                                             ["stock", "upl.kind.stock"], ["opening", "upl.kind.opening"]])),
    bookLabel("upl.encoding", bookSelect("encoding", [["auto", "upl.encoding.auto"], ["utf-8", "upl.encoding.utf8"],
                                                     ["gbk", "upl.encoding.gbk"]])),
    bookLabel("upl.file", file));
  const preview = bookNode("button", "upl.preview");
  preview.type = "submit";
  form.append(preview);
  const error = el("p", "", "error");
  error.id = "upload-error";
  error.setAttribute("role", "alert");
  const result = el("div");
  result.id = "upload-result";
  card.append(form, error, result);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    uploadPreview(form, error, result);
  });
  // Another file or kind makes the preview shown stale.
  form.addEventListener("change", () => {
    bookActions.preview = null;
    result.replaceChildren();
  });
  return card;
}

// The gateway's reply as { status, body }: a file larger than the gateway
// takes is refused here as it would be there (413), and a gateway out of
// reach is status 0.
async function uploadSend(step, form, token) {
  const chosen = form.elements.file.files[0];
  if (chosen.size > 8 * 1024 * 1024) return { status: 413, body: {} };
  const query = new URLSearchParams({ kind: form.elements.kind.value, encoding: form.elements.encoding.value,
                                      name: chosen.name });
  if (token) query.set("token", token);
  let response;
  try {
    response = await fetch("/api/books/import/" + step + "?" + query, {
      method: "POST", credentials: "same-origin", body: chosen,
      headers: { "Content-Type": "text/csv", "X-CSRF-Token": state.csrf },
    });
  } catch (e) {
    return { status: 0, body: { error: e.message } };
  }
  const body = await response.json().catch(() => ({}));
  return { status: response.status, body };
}

function uploadProblem(reply) {
  if (reply.status === 413) return t("upl.too_large");
  const e = Object.assign(new Error(reply.body.error || ""), { status: reply.status });
  if (reply.status !== 400) return problem(e);
  return t("upl.refused") + gatewaySaid(reply.body.error);
}

async function uploadPreview(form, error, result) {
  error.textContent = "";
  if (!form.elements.file.files[0]) {
    error.textContent = t("file.missing");
    return;
  }
  const reply = await uploadSend("preview", form);
  if (reply.status !== 200) {
    error.textContent = uploadProblem(reply);
    return;
  }
  bookActions.preview = reply.body;
  renderUpload(form, error, result);
}

async function uploadConfirm(form, error, result) {
  error.textContent = "";
  const reply = await uploadSend("confirm", form, bookActions.preview.token);
  if (reply.status === 409 && reply.body.token) {
    // What the import would do now: shown again, to be confirmed afresh.
    bookActions.preview = reply.body;
    renderUpload(form, error, result);
    error.textContent = t("upl.changed");
    return;
  }
  if (reply.status !== 200) {
    error.textContent = uploadProblem(reply);
    return;
  }
  bookActions.preview = reply.body;
  renderUpload(form, error, result);
  if (reply.body.committed) loadBooks();
}

function renderUpload(form, error, result) {
  const p = bookActions.preview;
  result.replaceChildren();
  if (!p) return;
  const summary = el("p", null, "upload-summary");
  summary.id = "upload-summary";
  const counts = { file: p.file, stored: number(p.stored), unchanged: number(p.unchanged),
                   bad: number(p.bad_count), late: number(p.late), conflicting: number(p.conflicting),
                   encoding: p.encoding === "gbk" ? "GBK" : "UTF-8" };
  if (p.prior) summary.textContent = t("upl.prior", { file: p.prior.file, at: dateTime(p.prior.imported_at_ms) });
  else summary.textContent = t(p.committed ? "upl.done" : "upl.would", counts) +
    (p.late ? " · " + t("upl.late", counts) : "") + (p.conflicting ? " · " + t("upl.conflicting", counts) : "");
  result.append(summary);
  if (p.bad.length) {
    const table = el("table");
    table.id = "upload-bad";
    const head = el("tr");
    head.append(el("th", t("upl.line"), "num"), el("th", t("upl.reason")));
    table.append(el("thead"), el("tbody"));
    table.tHead.append(head);
    for (const bad of p.bad) {
      const row = el("tr");
      const reason = el("td");
      reason.append(bookReason(bad));
      row.append(el("td", number(bad.line), "num"), reason);
      table.tBodies[0].append(row);
    }
    if (p.bad_count > p.bad.length) table.tBodies[0].append(note(t("upl.more_bad", { n: number(p.bad_count - p.bad.length) }), 2));
    const scroll = el("div", null, "scroll");
    scroll.append(table);
    result.append(scroll);
  }
  if (!p.committed && !p.prior && p.stored > 0) {
    const confirm = el("button", t("upl.confirm", counts));
    confirm.id = "upload-confirm";
    confirm.type = "button";
    confirm.addEventListener("click", () => {
      confirm.disabled = true;
      uploadConfirm(form, error, result).finally(() => { confirm.disabled = false; });
    });
    result.append(confirm);
  }
}

// --- flow adjustments --------------------------------------------------------

function adjustCard() {
  const card = bookCard("upl.adj.title", "upl.adj.hint");
  const form = el("form", null, "filters");
  form.id = "adjust-form";
  const field = bookSelect("field", BOOK_FIELDS.map((f) => [f, "upl.adj.field." + f]));
  form.append(bookLabel("upl.adj.flow", bookInput("flow_id", "text", true)), bookLabel("upl.adj.field", field),
              bookLabel("upl.adj.value", bookInput("value", "text", true)),
              bookLabel("upl.adj.reason", bookInput("reason", "text", true)));
  const submit = bookNode("button", "upl.adj.submit");
  submit.type = "submit";
  form.append(submit);
  const message = el("p", "", "error");
  message.id = "adjust-message";
  message.setAttribute("role", "alert");
  card.append(form, message);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.className = "error";
    message.textContent = "";
    const f = form.elements;
    try {
      const a = await api("/api/books/flows/adjust", { body: {
        flow_id: f.flow_id.value.trim(), field: f.field.value, value: f.value.value.trim(), reason: f.reason.value.trim() } });
      message.className = "hint";
      message.textContent = t("upl.adj.done", { flow: a.flow_id, field: t("upl.adj.field." + a.field), from: a.old_value, to: a.new_value });
      f.value.value = "";
      f.reason.value = "";
      loadBooks();
    } catch (e) {
      message.textContent = bookProblem(e);
    }
  });
  return card;
}

// --- month-end close ---------------------------------------------------------

function periodCard() {
  const card = bookCard("upl.per.title", "upl.per.hint");
  const form = el("form", null, "filters");
  form.id = "period-form";
  const month = monthPicker("period", $("books-filter").elements.period.value);  // web/controls.js
  form.append(bookLabel("upl.per.month", month), bookLabel("upl.per.reason", bookInput("reason", "text")));
  const close = bookNode("button", "upl.per.close");
  close.value = "close";
  const reopen = bookNode("button", "upl.per.reopen");
  reopen.value = "reopen";
  form.append(close, reopen);
  const message = el("p", "", "error");
  message.id = "period-message";
  message.setAttribute("role", "alert");
  const log = el("table");
  log.id = "period-log";
  const head = el("tr");
  for (const key of ["upl.per.log.month", "upl.per.log.action", "upl.per.log.reason", "upl.per.log.by", "upl.per.log.at"]) head.append(bookNode("th", key));
  log.append(el("thead"), el("tbody"));
  log.tHead.append(head);
  const scroll = el("div", null, "scroll");
  scroll.append(log);
  card.append(form, message, scroll);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const action = event.submitter ? event.submitter.value : "close";
    const f = form.elements;
    message.className = "error";
    message.textContent = "";
    if (action === "reopen" && !f.reason.value.trim()) {
      message.textContent = t("upl.per.need_reason");
      f.reason.focus();
      return;
    }
    try {
      const done = await api("/api/books/periods/" + action, { body: { period: f.period.value, reason: f.reason.value.trim() } });
      message.className = "hint";
      message.textContent = t(done.closed ? "upl.per.closed" : "upl.per.reopened", { month: done.period });
      f.reason.value = "";
      loadPeriods();
      loadBooks();
    } catch (e) {
      message.textContent = e.status === 409
        ? t(action === "close" ? "upl.per.already_closed" : "upl.per.not_closed", { month: f.period.value })
        : bookProblem(e);
    }
  });
  return card;
}

async function loadPeriods() {
  const body = $("period-log").tBodies[0];
  let periods;
  try {
    periods = await api("/api/books/periods");
  } catch (e) {
    $("period-message").textContent = problem(e);
    return;
  }
  body.replaceChildren();
  for (const e of periods.log.slice().reverse()) {
    const row = el("tr");
    row.append(el("td", e.period), el("td", t("upl.per.action." + e.action)), el("td", e.reason), el("td", e.by),
               el("td", dateTime(e.at_ms)));
    body.append(row);
  }
  if (!periods.log.length) body.append(note(t("upl.per.none"), 5));
}

// --- on the page -------------------------------------------------------------

// Built once the operator's role is known: a viewer gets the log only.
function bookActionsStart() {
  if ($("book-actions")) return;
  const box = el("div", null, "grid");
  box.id = "book-actions";
  box.style.marginTop = "1rem";
  // The books' work changes every territory at once: the gateway refuses
  // it, and the period log, to an operator limited to some.
  if (state.territories.length) {
    const scoped = el("p", t("upl.scoped"), "hint");
    scoped.id = "books-scoped";
    scoped.dataset.text = "upl.scoped";
    box.append(scoped);
    $("books-view").append(box);
    return;
  }
  const acting = state.role === "reviewer" || state.role === "admin";
  if (acting) {
    const upload = uploadCard();
    upload.classList.add("full");
    box.append(upload, adjustCard());
  }
  const period = periodCard();
  if (!acting) period.querySelector("form").hidden = true;
  box.append(period);
  $("books-view").append(box);
  loadPeriods();
}

$("language").addEventListener("click", () => {
  const result = $("upload-result");
  if (result) renderUpload($("upload-form"), $("upload-error"), result);
  if ($("period-log")) loadPeriods();
});

document.querySelector('#tabs button[data-tab="books"]').addEventListener("click", bookActionsStart);
