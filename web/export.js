// Download buttons (.xlsx and CSV) on the console's tables. A card or form
// marked data-export="TABLE" (and data-export-view for a list of the
// effectiveness report) gets them; the gateway builds the file
// (gateway/export_routes.h) from the same data the page shows, headed in
// the page's language, with times in the browser's zone.
"use strict";

// The query that says which rows: the month of the books, the review
// queue's filters, and for the anomalies the month if one is chosen.
function exportQuery(target) {
  const params = target.dataset.export === "review" ? reviewFilters()
               : new URLSearchParams({ period: $("books-filter").elements.period.value });
  if (target.dataset.exportView) params.set("view", target.dataset.exportView);
  params.set("lang", state.language);
  params.set("tz", String(-new Date().getTimezoneOffset()));
  return params;
}

// RFC 5987's filename* when the gateway sends one, else the plain name.
function exportFileName(disposition, fallback) {
  const named = /filename\*=UTF-8''([^;]+)/i.exec(disposition || "");
  if (named) return decodeURIComponent(named[1]);
  const plain = /filename="([^"]+)"/i.exec(disposition || "");
  return plain ? plain[1] : fallback;
}

async function exportDownload(target, format, error) {
  const table = target.dataset.export;
  error.textContent = "";
  let response;
  try {
    response = await fetchOk("/api/export/" + table + "." + format + "?" + exportQuery(target), { credentials: "same-origin" });
  } catch (e) {
    error.textContent = problem(e);
    return;
  }
  const blob = await response.blob();
  const link = el("a");
  link.href = URL.createObjectURL(blob);
  link.download = exportFileName(response.headers.get("Content-Disposition"), table + "." + format);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60000);
}

function exportButtons(target) {
  const box = el("span", null, "downloads");
  const error = el("span", "", "error");
  if (target.dataset.exportLabel) {
    const label = el("span", t(target.dataset.exportLabel), "hint");
    label.dataset.text = target.dataset.exportLabel;
    box.append(label);
  }
  for (const format of ["xlsx", "csv"]) {
    const button = el("button", t("export." + format), "download");
    button.type = "button";
    button.dataset.text = "export." + format;
    button.dataset.textTitle = "export." + format + ".title";
    button.title = t("export." + format + ".title");
    button.dataset.format = format;
    button.addEventListener("click", () => exportDownload(target, format, error));
    box.append(button);
  }
  box.append(error);
  return box;
}

for (const target of document.querySelectorAll("[data-export]")) {
  const place = target.tagName === "FORM" ? target : target.querySelector("h2") || target;
  place.append(exportButtons(target));
}
