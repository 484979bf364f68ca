// The review queue in the reader's language: a record's field names, the
// values that are words (a fix's state, a scan's source), the reasons'
// details as core writes them (core/visit_rules.cpp, core/travel_rules.cpp
// ...), and the reason filter by Chinese name with the code beside it.
// A detail of a form not known here is shown as the gateway wrote it, with
// lang="en" so that a screen reader says it right.
"use strict";

function fieldName(key) {
  return TEXT[state.language]["field." + key] || key;
}

function fieldValue(key, value) {
  if (typeof value === "boolean" || typeof value === "string") {
    const word = TEXT[state.language]["field." + key + "." + value];
    if (word) return word;
  }
  if (typeof value === "boolean") return t(value ? "field.yes" : "field.no");
  return value;
}

// Each form core writes a detail in, and its parts in the reader's language.
const DETAIL_FORMS = [
  [/^(\d+) m from (\S+) \(radius (\d+) m, fix accuracy (\d+) m\)(?:; the rep's reason: (.*))?$/s,
   (m) => t("detail.geofence", { d: m[1], terminal: m[2], radius: m[3], accuracy: m[4] }) +
          (m[5] !== undefined ? t("detail.rep_reason", { reason: m[5] }) : "")],
  [/^the fix has no valid position$/, () => t("detail.no_position")],
  [/^the fix was (\d+) s old$/, (m) => t("detail.stale", { s: m[1] })],
  [/^the receiver had no fix$/, () => t("detail.no_fix")],
  [/^([\d.]+) km in (.+) \((\d+) km\/h\) (from|to) (\S+) at (\S+)$/,
   (m) => t(m[4] === "from" ? "detail.travel_from" : "detail.travel_to",
            { km: m[1], time: durationText(m[2]), kmh: m[3], terminal: m[5], at: m[6] })],
  [/^([\d.]+) km at the same time (from|to) (\S+) at (\S+)$/,
   (m) => t("detail.travel_same", { km: m[1], terminal: m[3], at: m[4] })],
  [/^checked out (.+) after checking in at (\S+) at (\S+) \(minimum (.+) min\)$/,
   (m) => t("detail.short_visit", { time: durationText(m[1]), terminal: m[2], at: m[3], min: m[4] })],
  [/^no visit is open$/, () => t("detail.no_open_visit")],
  [/^rep "(.*)" is not in reps\.csv$/, (m) => t("detail.unknown_rep", { rep: m[1] })],
  [/^(GTIN|drug code prefix) (\S+) is not in products\.csv$/, (m) => t("detail.unknown_product", { code: m[2] })],
  [/^qty (-?\d+) is negative$/, (m) => t("detail.negative_qty", { qty: m[1] })],
];

// "1 h 5 min", "12 min", "40 s" as core writes a duration.
function durationText(text) {
  if (state.language === "en") return text;
  return text.replace(/(\d+) h/g, "$1 小时").replace(/(\d+) min/g, "$1 分钟").replace(/(\d+) s\b/g, "$1 秒");
}

function reasonDetail(detail) {
  const node = el("span", null, "detail");
  if (state.language !== "en")
    for (const [form, say] of DETAIL_FORMS) {
      const m = form.exec(detail);
      if (m) {
        node.textContent = " " + say(m);
        node.title = detail;
        return node;
      }
    }
  node.textContent = " " + detail;
  node.lang = "en";
  return node;
}

// The reason filter as a list of the reasons by name, code beside it;
// built again when the language changes, keeping the choice.
function reasonFilter() {
  const select = $("review-filter").elements.reason;
  const chosen = select.value;
  const all = el("option", t("review.reason.any"));
  all.value = "";
  select.replaceChildren(all);
  const codes = [...state.reasons.keys()].sort((a, b) =>
    state.language === "en" ? a.localeCompare(b) : state.reasons.get(a).localeCompare(state.reasons.get(b), "zh-CN"));
  for (const code of codes) {
    const option = el("option", state.language === "en" ? code : state.reasons.get(code) + "（" + code + "）");
    option.value = code;
    select.append(option);
  }
  select.value = chosen;
}
