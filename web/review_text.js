// The review queue in the reader's language: a record's field names, the
// values that are words (a fix's state, a scan's source), the reasons'
// details as core reads them in Chinese, and the reason filter by Chinese
// name with the code beside it. A detail of a form core does not know is
// shown as the gateway wrote it, with lang="en" so that a screen reader
// says it right.
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

// A reason's detail in Chinese as core reads it (core/reason_detail.h, sent
// as detail_zh), or as the gateway wrote it for a form core does not know.
function reasonDetail(reason) {
  const node = el("span", null, "detail");
  const chinese = state.language !== "en" && reason.detail_zh;
  node.textContent = " " + (chinese || reason.detail);
  if (chinese) node.title = reason.detail;
  else node.lang = "en";
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
