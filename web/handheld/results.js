// 结果: what the gateway flagged or rejected of this handheld's records,
// each reason by its Chinese name (its stable code in English) with the
// gateway's detail, in Chinese as core reads it (detail_zh) or as the
// gateway wrote it, newest first. A capture made in a visit can be
// corrected from here: 更正 opens its form, in the open visit or alone when
// none is open, and what is saved there names the record it corrects and is
// made for that record's store (the record itself stays).
"use strict";

const results = { list: null };

// The visit's form for each kind of record that can be corrected.
const correctionForms = { stock_count: "count", terminal_sales: "sale", purchase: "purchase", promotion: "promotion", display: "display", competitor: "competitor" };

// Which records this page sent a correction for, and as which record, kept
// on the handheld: the rep sees a result as corrected after a reload too.
const correctedKey = "fieldflow.handheld.corrected";

function corrections() {
  try {
    return JSON.parse(localStorage.getItem(correctedKey)) || {};
  } catch (e) {
    return {};
  }
}

function rememberCorrection(seq, by) {
  const kept = corrections();
  kept[seq] = by;
  localStorage.setItem(correctedKey, JSON.stringify(kept));
}

function correctionButton(r) {
  const by = corrections()[r.seq];
  if (by !== undefined) return el("p", t("results.corrected", { seq: by }), "corrected");
  const button = el("button", t("results.correct"), "correct");
  button.type = "button";
  button.addEventListener("click", () => {
    visit.correcting = { seq: r.seq, kind: r.kind, form: correctionForms[r.kind], terminal: r.terminal, terminal_name: r.terminal_name };
    location.hash = "#visit";
  });
  return button;
}

// A detail of a form core does not know stays in English, marked so that a
// screen reader says it right.
function reasonDetail(reason) {
  const chinese = app.language !== "en" && reason.detail_zh;
  const node = el("span", chinese || reason.detail, "detail");
  if (!chinese) node.lang = "en";
  return node;
}

function resultItem(r) {
  const verdict = r.verdict || r.outcome || "";
  const item = el("li", null, "result " + verdict);
  const head = el("p", null, "head");
  head.append(el("span", t("results." + verdict), "verdict"));
  const what = [r.kind ? kindName(r.kind) : null,
                r.terminal_name || r.terminal, r.product_name || r.product].filter(Boolean).join(" · ");
  head.append(el("span", what || t("results.record", { seq: r.seq }), "what"));
  item.append(head);
  const reasons = el("ul", null, "reasons");
  for (const reason of r.reasons || []) {
    const line = el("li");
    const name = app.language === "en" ? reason.code : reason.name || reason.zh || reason.code;
    line.append(el("strong", name));
    if (reason.detail) line.append(reasonDetail(reason));
    reasons.append(line);
  }
  item.append(reasons);
  item.append(el("p", t("results.record", { seq: r.seq }) + (r.at_ms ? " · " + clock(r.at_ms) : ""), "hint"));
  if (correctionForms[r.kind]) item.append(correctionButton(r));
  return item;
}

function drawResults() {
  if (!results.list) return;
  $("results").replaceChildren(...(results.list.length ? results.list.map(resultItem) : [el("li", t("results.none"), "hint")]));
}

async function loadResults() {
  $("results-error").textContent = "";
  try {
    const answer = await api("/api/results");
    results.list = Array.isArray(answer) ? answer : answer.results || [];
  } catch (e) {
    $("results-error").textContent = problem(e);
  }
  drawResults();
}

$("results-refresh").addEventListener("click", loadResults);
app.redraws.push(drawResults);
