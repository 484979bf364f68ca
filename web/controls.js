// Form controls that speak the page's language. A browser's own month and
// file inputs take their words and formats from the browser's locale, not
// from the operator's choice, so an English browser shows English in the
// Chinese console. These keep the form's names and values (a hidden
// "period" of YYYY-MM, the chosen file in "file") and are relabelled by
// applyLanguage() through data-text like the rest of the page.
"use strict";

// A year select and a month select in place of <input type="month">; the
// form's `name` field holds YYYY-MM, as the API takes it.
function monthPicker(name, value) {
  const box = el("span", null, "month-pick");
  const held = el("input");
  held.type = "hidden";
  held.name = name;
  const year = el("select");
  year.dataset.part = "year";
  year.dataset.textTitle = "control.year";
  year.title = t("control.year");
  const month = el("select");
  month.dataset.part = "month";
  month.dataset.textTitle = "control.month";
  month.title = t("control.month");
  for (let m = 1; m <= 12; ++m) {
    const option = el("option", t("month." + m));
    option.value = String(m).padStart(2, "0");
    option.dataset.text = "month." + m;
    month.append(option);
  }
  const sync = () => { held.value = year.value + "-" + month.value; };
  year.addEventListener("change", sync);
  month.addEventListener("change", sync);
  box.append(year, " ", month, held);
  setMonth(box, value || new Date().toISOString().slice(0, 7));
  return box;
}

// Puts YYYY-MM in a monthPicker, offering its year if it was not listed.
function setMonth(box, value) {
  const [y, m] = value.split("-");
  const year = box.querySelector("select[data-part=year]");
  const now = new Date().getFullYear();
  const years = new Set([...Array(12).keys()].map((i) => now + 1 - i));
  years.add(Number(y));
  const listed = [...years].sort((a, b) => b - a);
  if (year.options.length !== listed.length) {
    year.replaceChildren(...listed.map((n) => {
      const option = el("option", String(n));
      option.value = String(n);
      return option;
    }));
  }
  year.value = y;
  box.querySelector("select[data-part=month]").value = m;
  box.querySelector("input[type=hidden]").value = y + "-" + m;
}

// A file input behind a button of the page's own words, with the chosen
// file's name (or that none is chosen) beside it. The input itself stays
// in the form under `name`, out of sight; the button opens its chooser.
function filePicker(name, accept) {
  const box = el("span", null, "file-pick");
  const input = el("input");
  input.type = "file";
  input.name = name;
  input.tabIndex = -1;
  if (accept) input.accept = accept;
  const button = el("button", t("file.choose"), "file-button");
  button.type = "button";
  button.dataset.text = "file.choose";
  button.addEventListener("click", () => input.click());
  const chosen = el("span", t("file.none"), "file-name");
  chosen.dataset.text = "file.none";
  input.addEventListener("change", () => {
    const file = input.files[0];
    if (file) {
      delete chosen.dataset.text;
      chosen.textContent = file.name;
    } else {
      chosen.dataset.text = "file.none";
      chosen.textContent = t("file.none");
    }
  });
  box.append(input, button, " ", chosen);
  return box;
}
